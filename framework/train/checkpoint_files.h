// Where a run's checkpoints lie: `<results_dir>/checkpoints/<run id>.pt`, or one per named
// stage, `<run id>.<stage>.pt`. No LibTorch here: the sweep's --status and --dry-run read it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace aelab {

/// The checkpoint of the run `run_id` (of its `stage`, when named) in `results_dir`.
std::string checkpoint_file(const std::string& results_dir, const std::string& run_id,
                            const std::string& stage = "");

/// Every checkpoint the run has, of any stage; none when the folder is missing or unreadable.
std::vector<std::filesystem::path> checkpoint_files(const std::string& results_dir,
                                                    const std::string& run_id);

}  // namespace aelab
