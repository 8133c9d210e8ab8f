// A plugin's option that a config file sets for another choice of its group.
#include "framework/sweep/jobs/other_plugin_options.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {

void reject_options_of_another_plugin(const ConfigNode& section, const std::string& key,
                                      const std::string& kind, const PluginInfo& info) {
  std::vector<std::string> known;
  for (const OptionDoc& option : info.options) known.push_back(option.name);
  for (const auto& [name, value] : section.entries()) {
    if (name == "name" || value.mark.line == 0 || value.mark.origin.empty() ||
        std::find(known.begin(), known.end(), name) != known.end())
      continue;
    const std::string suffix = suggestion_suffix(name, known);
    const std::vector<std::string> takers = RegistryCatalog::instance().plugins_taking(kind, name);
    if (takers.empty() || suffix.find("did you mean") != std::string::npos) continue;
    throw ConfigError(fmt::format(
        "{}: unknown option for {} '{}'{}; it is an option of {}={}: choose {} with {}={} on "
        "the command line, or delete this option with ~{}.{} there",
        located(value, key + "." + name), key, info.name, suffix, key,
        fmt::join(takers, " and " + key + "="), takers.size() == 1 ? "it" : "one", key,
        takers.front(), key, name));
  }
}

}  // namespace aelab
