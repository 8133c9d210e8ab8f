// Where aelab keeps what Hydra's own settings set.
#include "framework/config/hydra_settings.h"

#include <filesystem>

#include "framework/core/suggest.h"

namespace aelab {

bool is_hydra_setting(const std::string& key) {
  return key == "hydra" || key.rfind("hydra.", 0) == 0 || key.rfind("hydra/", 0) == 0;
}

std::string hydra_settings_note() {
  return " (aelab has no hydra section: the results folder is run_sweep --out DIR, by default "
         "results/<name>; the sweep's name is name=...; how jobs run is launcher=local|slurm and "
         "launcher.*)";
}

std::string unknown_top_level_key_note(const std::string& key,
                                       const std::vector<std::string>& known,
                                       const std::string& file) {
  // A file of a folder `key/` that a defaults list named as `- /key/file`: its keys went under
  // `key:`, as Hydra places a group's options.
  if (!file.empty() && std::filesystem::path(file).parent_path().filename() == key)
    return " (the keys of " + key + "/" + std::filesystem::path(file).filename().string() +
           " go under " + key +
           ":, as Hydra places the options of a config group; to merge "
           "them at the top level, begin the file with '# @package _global_')";
  if (key == "zip")  // a sweep's, a level too high
    return " (a zip of lists goes under sweep:, as in configs/sweeps/paired_lr.yaml)";
  if (key == "run_id")  // a results folder's jobs/<id>.yaml, which holds a job's config
    return " (a job file of a results folder: run it again with run_sweep --reproduce and the "
           "run's file in runs/, or copy its config: part to a file of its own)";
  return is_hydra_setting(key) ? hydra_settings_note() : suggestion_suffix(key, known);
}

}  // namespace aelab
