// The run files of a results folder (the folder run_sweep writes: runs/, jobs/, summary.h5):
// every run's summary, and the folder that a path inside one belongs to.
#pragma once

#include <string>
#include <vector>

#include "framework/results/run_record.h"

namespace aelab {

/// The summary (no images, history, arrays or weights) of every run file under
/// `<results_dir>/runs`, in file-name order. DataError when there is none. A run file that
/// cannot be read is a DataError too, unless `unreadable` is given: then its error message (which
/// names the file) is added there and the other runs are read.
std::vector<RunRecord> read_results(const std::string& results_dir,
                                    std::vector<std::string>* unreadable = nullptr);

/// same_run_key() of a run's recorded config (its config and seed, but for the sweep's `name`);
/// the run id where the config does not parse.
std::string same_run_key(const RunRecord& run);

/// The results folder above `path` (a folder with runs/ or jobs/sweep.yaml), where a file or
/// folder inside one (its runs/, its summary.h5, a run file) was given for it; "" when none.
std::string results_folder_above(const std::string& path);

}  // namespace aelab
