// Hydra-style composition: a primary config's `defaults:` list picks one file per config group
// (`data/`, `encoder/`, ...), `_self_` places the primary's own keys, and command-line group
// overrides (`encoder=conv`, `+noise=gaussian`, `~noise`) change those choices.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "framework/config/override.h"
#include "framework/core/config_node.h"

namespace aelab {

/// The folder of config groups and where a primary config lives in it.
class ConfigSource {
 public:
  explicit ConfigSource(std::string config_dir);

  const std::string& config_dir() const { return config_dir_; }
  /// True when `name` is a config group: a folder under the config dir, not one of primary
  /// configs (sweeps/).
  bool is_group(const std::string& name) const;
  /// The options of a group (its .yaml files' stems), sorted.
  std::vector<std::string> group_options(const std::string& group) const;
  /// Every group, sorted; not the folders of primary configs (sweeps/), which -c takes.
  std::vector<std::string> groups() const;
  /// Path of a primary config given as a file path or a name under the config dir
  /// (`sweeps/bottleneck`); ConfigError when missing.
  std::string resolve_primary(const std::string& name_or_path) const;

 private:
  /// Whether a folder holds primary configs, by folder name: read once, since every job's
  /// composition asks for each of its groups.
  bool holds_primary_configs(const std::string& folder) const;

  std::string config_dir_;
  mutable std::map<std::string, bool> primary_folders_;
};

/// A composed config and the option chosen for each group.
struct Composition {
  ConfigNode config;
  std::map<std::string, std::string> choices;
};

/// Composes `primary_path` with the group overrides among `overrides` (those whose key is a
/// group); other overrides are ignored here. Throws ConfigError.
Composition compose(const ConfigSource& source, const std::string& primary_path,
                    const std::vector<Override>& overrides);

/// Applies value overrides (not group ones) to a composed config, with Hydra's rules:
/// `key=v` needs the key, `+key=v` needs it absent, `++key=v` either, `~key[=v]` deletes it.
void apply_value_overrides(const ConfigSource& source, ConfigNode& config,
                           const std::vector<Override>& overrides);

/// Replaces every `${a.b}` (and `${oc.env:VAR[,default]}`) by its value; a string that is one
/// whole interpolation takes the referenced value's type. Throws ConfigError naming the key.
void resolve_interpolations(ConfigNode& config);

/// Every dotted key path of the leaves of a config, for suggestions.
std::vector<std::string> leaf_paths(const ConfigNode& config);

}  // namespace aelab
