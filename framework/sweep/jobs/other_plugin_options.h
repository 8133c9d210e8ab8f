// Options of another plugin of a section's kind: forced in with `++` for the jobs whose plugin
// takes them (`++model.beta=2` over model=pca,vae), or set by a config file for another choice
// of the group (a sweep's conv encoder channels, where model=vae chose the VAE's MLP encoder).
#pragma once

#include <string>
#include <vector>

#include "framework/config/override.h"
#include "framework/core/config_node.h"
#include "framework/core/registry.h"

namespace aelab {

/// ConfigError for an option of `section` (the `key` section of kind `kind`) that a config file
/// sets, which the section's plugin `info` does not take but another of its kind does: names
/// that plugin, to choose on the command line, or the `~` that deletes the option there. Options
/// set on the command line, and near misspellings, are left to the plugin's own checks.
void reject_options_of_another_plugin(const ConfigNode& section, const std::string& key,
                                      const std::string& kind, const PluginInfo& info);

/// `section` (the `key` section of kind `kind`, plugin `info`) without the options that `++`
/// forced in and its plugin does not take, where another plugin of its kind does:
/// `++model.beta=2` over model=pca,vae reaches the VAE jobs only, as Hydra leaves an extra key to
/// the application. A key no plugin takes stays, to be refused.
ConfigNode without_forced_options_of_others(const ConfigNode& section, const std::string& key,
                                            const std::string& kind, const PluginInfo& info,
                                            const std::vector<Override>& overrides);

}  // namespace aelab
