// run_sweep --list: every plugin kind, its plugins and options, and the sections of options.
#pragma once

#include <string>
#include <vector>

#include "framework/config/config_source.h"

namespace aelab {

/// Prints each kind's plugins, as the `name:` of its config section, with the config group's
/// options (the presets an override such as `data=idx` picks) where the config folder has the
/// group; then each section of options. An option shows its default in the code and, where the
/// preset of the plugin's own name (or a section's `default` preset) sets another value, that
/// value: what the override gives. `only`: the kinds and sections to show (all when empty);
/// ConfigError for a name that is neither.
void print_option_catalog(const ConfigSource& source, const std::vector<std::string>& only);

}  // namespace aelab
