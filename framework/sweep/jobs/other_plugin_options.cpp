// Options of another plugin of a section's kind: forced in with `++` for the jobs whose plugin
// takes them, or set by a config file for another choice of the group.
#include "framework/sweep/jobs/other_plugin_options.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "framework/core/config_node.h"
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

ConfigNode without_forced_options_of_others(const ConfigNode& section, const std::string& key,
                                            const std::string& kind, const PluginInfo& info,
                                            const std::vector<Override>& overrides) {
  ConfigNode kept = section;
  for (const auto& item : overrides) {
    const std::vector<std::string> parts = split_dotted(item.key);
    if (item.op != Override::Op::kForceAdd || parts.size() != 2 || parts[0] != key) continue;
    const std::vector<std::string> takers =
        RegistryCatalog::instance().plugins_taking(kind, parts[1]);
    if (!takers.empty() && std::find(takers.begin(), takers.end(), info.name) == takers.end())
      kept.remove(parts[1]);
  }
  return kept;
}

}  // namespace aelab
