// The toy-data sweep fixture.
#include "tests/sweep/toy_data_sweep.h"

#include "framework/results/result_table.h"
#include "framework/results/results_folder.h"
#include "tests/sweep/run_sweep_in_child.h"

namespace aelab::testing {

ScratchDir* ToyDataSweep::data_ = nullptr;

void ToyDataSweep::SetUpTestSuite() {
  data_ = new ScratchDir();
  write_toy_idx_dataset(data_->path(), 300, 100, 8);
}

void ToyDataSweep::TearDownTestSuite() {
  delete data_;
  data_ = nullptr;
}

CommandResult ToyDataSweep::sweep(const std::string& out, const std::string& arguments,
                                  const std::string& environment) const {
  return run_sweep("--config-dir " + project_configs() + " --out " + dir_.file(out) +
                       " data=idx data.root=" + data_->path() + " " + arguments,
                   environment + " AELAB_CACHE_DIR=" + dir_.file("cache"));
}

std::map<std::string, RunRecord> ToyDataSweep::runs(const std::string& out) const {
  std::map<std::string, RunRecord> by_id;
  for (const auto& summary : read_results(dir_.file(out)))
    by_id[summary.run_id] = read_run_file(dir_.file(out + "/runs/" + summary.run_id + ".h5"));
  return by_id;
}

}  // namespace aelab::testing
