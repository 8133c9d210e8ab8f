// A plugin's option that a config file sets for another choice of its group: a sweep's conv
// encoder channels, where model=vae on the command line chose the VAE's MLP encoder.
#pragma once

#include <string>

#include "framework/core/config_node.h"
#include "framework/core/registry.h"

namespace aelab {

/// ConfigError for an option of `section` (the `key` section of kind `kind`) that a config file
/// sets, which the section's plugin `info` does not take but another of its kind does: names
/// that plugin, to choose on the command line, or the `~` that deletes the option there. Options
/// set on the command line, and near misspellings, are left to the plugin's own checks.
void reject_options_of_another_plugin(const ConfigNode& section, const std::string& key,
                                      const std::string& kind, const PluginInfo& info);

}  // namespace aelab
