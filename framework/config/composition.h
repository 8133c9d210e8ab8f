// Hydra-style composition: a primary config's `defaults:` list picks one file per config group
// (`data/`, `encoder/`, ...), `_self_` places the primary's own keys, and command-line group
// overrides (`encoder=conv`, `+noise=gaussian`, `~noise`) change those choices.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "framework/config/config_source.h"
#include "framework/config/override.h"
#include "framework/core/config_node.h"

namespace aelab {

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
