// Where configs are found: a search path of config folders, as Hydra's. A researcher's own
// folder (--config-dir) comes first, so its groups, options and primary configs add to the
// project's and shadow those of the same name; the project's configs come after it.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace aelab {

class ConfigSource {
 public:
  /// `config_dirs`, searched in this order (a folder given twice is searched once); each must
  /// exist.
  explicit ConfigSource(std::vector<std::string> config_dirs);
  explicit ConfigSource(std::string config_dir)
      : ConfigSource(std::vector<std::string>{std::move(config_dir)}) {}

  const std::vector<std::string>& config_dirs() const { return dirs_; }
  /// The folders, for messages: `cfg` or `cfg, then configs`.
  std::string searched() const;
  /// The file or folder at `relative` in the first config folder that has it; "" when none does.
  std::string locate(const std::string& relative) const;
  /// True when `name` is a config group: a folder in some config folder that does not hold
  /// primary configs (sweeps/).
  bool is_group(const std::string& name) const;
  /// The options of a group (its .yaml files' stems in every config folder), sorted.
  std::vector<std::string> group_options(const std::string& group) const;
  /// Every group, sorted; not the folders of primary configs (sweeps/), which -c takes.
  std::vector<std::string> groups() const;
  /// Path of a primary config given as a file path or a name in a config folder
  /// (`sweeps/bottleneck`); ConfigError when missing.
  std::string resolve_primary(const std::string& name_or_path) const;
  /// The folder of the primary config `primary` where it lies outside every config folder and
  /// holds groups of its own (a subfolder named as one of these folders' groups, with .yaml
  /// files: `exp/encoder/tiny.yaml` beside `exp/mine.yaml`); "" otherwise.
  std::string own_folder_of(const std::string& primary) const;

 private:
  /// Whether a folder holds primary configs, by folder name: read once, since every job's
  /// composition asks for each of its groups.
  bool holds_primary_configs(const std::string& folder) const;

  std::vector<std::string> dirs_;
  mutable std::map<std::string, bool> primary_folders_;
};

}  // namespace aelab
