// Settings sections: top-level config sections that hold one options struct rather than a named
// plugin (`trainer:`, `eval:`). Each declares itself beside its options, so the job config can
// validate it without knowing it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "framework/core/config_node.h"
#include "framework/core/options.h"

namespace aelab {

/// Decodes a section and writes it back with every default filled in; throws ConfigError.
using SettingsNormalizer = std::function<ConfigNode(const ConfigNode& section)>;

/// What a settings section is, for validation and listings.
struct SettingsSection {
  std::string key;    ///< `trainer`
  std::string owner;  ///< `the trainer`, for messages and listings
  std::vector<OptionDoc> options;
  SettingsNormalizer normalize;
};

/// Registers a settings section.
bool register_settings_section(SettingsSection section);

/// The settings section `key`, or nullptr when `key` is not one.
const SettingsSection* find_settings_section(const std::string& key);

/// Every settings section, by key.
std::vector<SettingsSection> all_settings_sections();

/// Declares `key` as a settings section holding `Options`; `owner` names it in messages.
template <class Options>
bool declare_settings_section(const std::string& key, const std::string& owner) {
  return register_settings_section(
      SettingsSection{key, owner, describe_options<Options>(), [key, owner](const ConfigNode& s) {
                        return encode_options(decode_options<Options>(s, key, owner));
                      }});
}

}  // namespace aelab
