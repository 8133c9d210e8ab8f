// A run's checkpoint files.
#include "framework/train/checkpoint_files.h"

namespace aelab {

std::string checkpoint_file(const std::string& results_dir, const std::string& run_id,
                            const std::string& stage) {
  return results_dir + "/checkpoints/" + run_id + (stage.empty() ? "" : "." + stage) + ".pt";
}

std::vector<std::filesystem::path> checkpoint_files(const std::string& results_dir,
                                                    const std::string& run_id) {
  std::error_code unreadable;
  std::vector<std::filesystem::path> files;
  const std::string folder = results_dir + "/checkpoints";
  if (!std::filesystem::is_directory(folder, unreadable)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, unreadable))
    if (entry.path().filename().string().rfind(run_id + ".", 0) == 0 &&
        entry.path().extension() == ".pt")
      files.push_back(entry.path());
  return files;
}

}  // namespace aelab
