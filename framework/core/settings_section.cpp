// The table of settings sections.
#include "framework/core/settings_section.h"

#include <map>

namespace aelab {

static std::map<std::string, SettingsSection>& settings_sections() {
  static std::map<std::string, SettingsSection> sections;
  return sections;
}

bool register_settings_section(SettingsSection section) {
  std::string key = section.key;
  settings_sections()[key] = std::move(section);
  return true;
}

const SettingsSection* find_settings_section(const std::string& key) {
  auto it = settings_sections().find(key);
  return it == settings_sections().end() ? nullptr : &it->second;
}

std::vector<SettingsSection> all_settings_sections() {
  std::vector<SettingsSection> out;
  for (const auto& [key, section] : settings_sections()) out.push_back(section);
  return out;
}

}  // namespace aelab
