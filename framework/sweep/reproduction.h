// Reproducing one run from its file: the config, seed and code version it records, run again
// and compared metric by metric with what was recorded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "framework/experiment/experiment.h"

namespace aelab {

/// One recorded metric against its value in the new run.
struct MetricCheck {
  std::string metric;  ///< `test/sse` or `baseline/pca/test/sse`
  double recorded = 0;
  std::optional<double> reproduced;  ///< nullopt when the new run lacks it
  bool matches = false;
};

/// What a reproduction found.
struct Reproduction {
  std::string run_id;
  std::string recorded_commit, this_commit, recorded_device, device;
  std::string recorded_blas, blas;            ///< the BLAS kernels of each (RunRecord::blas)
  int64_t recorded_threads = 0, threads = 0;  ///< the CPU threads of each (RunRecord::threads)
  /// The data each was trained and tested on (RunRecord::data_hash; "" where not recorded).
  std::string recorded_data_hash, data_hash;
  /// Both recorded and different: the files under data.root are not those of the run.
  bool data_changed() const;
  bool exact = false;    ///< same build, BLAS kernels and threads on the CPU: every value identical
  bool stacked = false;  ///< the recorded run was trained in a stack (launcher.stack)
  double tolerance = 0;  ///< relative tolerance when not exact
  std::string status;    ///< the new run's status
  std::string error;     ///< the new run's error, when it failed
  std::vector<MetricCheck> checks;
  bool all_match() const;
};

/// Reruns the run recorded in `run_file` into `out_dir` (its own runs/ folder, so the original
/// is never touched) and compares every final metric and baseline metric. `tolerance` applies
/// when the build, device, threads or BLAS kernels differ, or the run was trained stacked.
/// ConfigError when the file is not a completed run.
Reproduction reproduce_run(const std::string& run_file, const std::string& out_dir,
                           double tolerance, RunContext context);

/// The git commit this program was built from (`-dirty` when the tree had changes).
std::string this_build_commit();

/// The comparison as lines a person reads: one per metric, then the verdict.
std::string describe(const Reproduction& reproduction);

}  // namespace aelab
