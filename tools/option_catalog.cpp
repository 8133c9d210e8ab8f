// run_sweep --list.
#include "tools/option_catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>

#include "framework/core/error.h"
#include "framework/core/registry.h"
#include "framework/core/settings_section.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"

namespace aelab {
namespace {

/// The values the preset `group`=`option` sets, by option name (none where it has no file).
std::map<std::string, std::string> preset_values(const ConfigSource& source,
                                                 const std::string& group,
                                                 const std::string& option) {
  std::map<std::string, std::string> values;
  const std::vector<std::string> options = source.group_options(group);
  if (std::find(options.begin(), options.end(), option) == options.end()) return values;
  const ConfigNode preset = load_yaml_file(source.locate(group + "/" + option + ".yaml"));
  if (preset.is_map())
    for (const auto& [key, value] : preset.entries())
      if (key != "defaults") values[key] = value.text();  // `[256, 512]`, as defaults print
  return values;
}

/// One line per option: name, default, doc; `preset` (`decoder=mlp`) and the values it sets
/// where they differ from the defaults.
void print_options(const std::vector<OptionDoc>& options, const std::string& preset,
                   const std::map<std::string, std::string>& preset_sets) {
  size_t width = 16;  // the names of one plugin or section line up, however long one is
  for (const auto& option : options) width = std::max(width, option.name.size());
  for (const auto& option : options) {
    const auto set = preset_sets.find(option.name);
    const std::string differs = set != preset_sets.end() && set->second != option.default_value
                                    ? set->second == "???"
                                          ? fmt::format(" ({} leaves it ???: set it)", preset)
                                          : fmt::format(" ({} sets {})", preset, set->second)
                                    : "";
    std::cout << fmt::format("      {:<{}} = {:<12} # {}{}\n", option.name, width,
                             option.default_value, option.doc, differs);
  }
}

/// The kinds and sections `--list` can show: `data` stands for the dataset kind.
std::vector<std::string> listable_names() {
  std::vector<std::string> names;
  for (const auto& [kind, plugins] : RegistryCatalog::instance().all())
    names.push_back(section_of_kind(kind));
  for (const auto& section : all_settings_sections()) names.push_back(section.key);
  return names;
}

}  // namespace

void print_option_catalog(const ConfigSource& source, const std::vector<std::string>& only) {
  const std::vector<std::string> names = listable_names();
  for (const auto& name : only)
    if (name.find_first_of("=~+") != std::string::npos)
      throw ConfigError("--list " + name +
                        ": an override, which --list does not read (it takes kinds or sections "
                        "to list, such as --list model trainer)");
    else if (std::find(names.begin(), names.end(), name) == names.end())
      throw ConfigError(fmt::format("--list {}: no such kind or section{}", name,
                                    suggestion_suffix(name, names)));
  auto shown = [&](const std::string& name) {
    return only.empty() || std::find(only.begin(), only.end(), name) != only.end();
  };
  auto presets_line = [&](const std::string& section) {
    return source.is_group(section)
               ? fmt::format("presets: {}={}", section, join(source.group_options(section), ","))
               : std::string();
  };
  for (const auto& [kind, plugins] : RegistryCatalog::instance().all()) {
    const std::string section = section_of_kind(kind);
    if (!shown(section)) continue;
    const std::string presets = presets_line(section);
    std::cout << fmt::format("{}: {}.name=NAME{}\n", kind, section,
                             presets.empty() ? "" : "; " + presets);
    for (const auto& plugin : plugins) {
      std::cout << fmt::format("  {:<16} {}\n", plugin.name, plugin.description);
      std::map<std::string, std::string> sets;
      if (source.is_group(section)) sets = preset_values(source, section, plugin.name);
      // A preset of the plugin's name that picks another plugin says nothing of this one.
      if (auto name = sets.find("name"); name != sets.end() && name->second != plugin.name)
        sets.clear();
      print_options(plugin.options, section + "=" + plugin.name, sets);
    }
  }
  for (const auto& section : all_settings_sections()) {
    if (!shown(section.key)) continue;
    const std::string presets = presets_line(section.key);
    std::cout << section.key << ":" << (presets.empty() ? "" : " " + presets) << "\n"
              << fmt::format("  ({}: a section of options)\n", section.owner);
    print_options(section.options, section.key + "=default",
                  source.is_group(section.key) ? preset_values(source, section.key, "default")
                                               : std::map<std::string, std::string>{});
  }
}

}  // namespace aelab
