// Group options' own defaults lists, and the defaults-list helpers composition shares.
#include <algorithm>
#include <filesystem>
#include <map>

#include "framework/config/defaults_list.h"
#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"

namespace fs = std::filesystem;

namespace aelab {

std::string option_path(const ConfigSource& source, const std::string& group,
                        const std::string& option) {
  const std::string relative = (fs::path(group) / (option + ".yaml")).string();
  const std::string found = source.locate(relative);
  return found.empty() ? (fs::path(source.config_dirs().front()) / relative).string() : found;
}

void check_option_exists(const ConfigSource& source, const std::string& group,
                         const std::string& option, const std::string& where) {
  if (fs::is_regular_file(option_path(source, group, option))) return;
  throw ConfigError(where + ": " + group + ": no option '" + option + "' in group '" + group + "'" +
                    suggestion_suffix(option, source.group_options(group)));
}

bool is_choice_interpolation(const std::string& option) {
  return option.size() > 3 && option.compare(0, 2, "${") == 0 && option.back() == '}';
}

namespace {

/// One entry of a group option's own defaults list: `override /G: O` or `/G: O`.
struct OptionDefault {
  bool is_override = false;
  std::string group, option;
  SourceMark mark;
};

/// One `- [override] /group: option` item of a group option's defaults list.
OptionDefault parse_option_default(const ConfigSource& source, const ConfigNode& item) {
  if (!item.is_map() || item.entries().size() != 1)
    throw ConfigError(
        item.mark.describe() +
        ": defaults: a group option may list '- override /group: option', '- /group: option' or "
        "'- _self_'" +
        (item.is_scalar() ? " (to extend '" + item.text() +
                                "' of the same group, write its plugin's name, as in `name: "
                                "conv`, and only the options that change: the others take "
                                "their defaults)"
                          : ""));
  OptionDefault entry;
  std::string key = item.entries()[0].first;
  const ConfigNode& choice = item.entries()[0].second;
  entry.mark = choice.mark;
  if (key.rfind("override ", 0) == 0) {
    entry.is_override = true;
    key = key.substr(9);
  }
  if (key.empty() || key.front() != '/')
    throw ConfigError(item.mark.describe() + ": defaults: '" + key +
                      "': write the group with a leading slash (/" + key +
                      "); group paths relative to a group option are not supported");
  entry.group = key.substr(1);
  if (!source.is_group(entry.group))
    throw ConfigError(item.mark.describe() + ": defaults: '" + entry.group +
                      "' is not a config group" + suggestion_suffix(entry.group, source.groups()));
  if (choice.kind() != ConfigNode::Kind::kString)
    throw ConfigError(choice.mark.describe() + ": defaults: " + entry.group +
                      ": expected an option name, got " + choice.type_name());
  entry.option = choice.as_string();
  return entry;
}

/// The group choices a group option's file makes in its defaults list (none when it has none).
std::vector<OptionDefault> option_defaults(const ConfigSource& source, const std::string& path) {
  ConfigNode file = load_yaml_file(path);
  const ConfigNode* defaults = file.is_map() ? file.get("defaults") : nullptr;
  std::vector<OptionDefault> out;
  if (!defaults) return out;
  if (!defaults->is_list())
    throw ConfigError(defaults->mark.describe() + ": defaults: expected a list, got " +
                      defaults->type_name());
  for (const auto& item : defaults->items())
    if (item.kind() != ConfigNode::Kind::kString || item.as_string() != "_self_")
      out.push_back(parse_option_default(source, item));
  return out;
}

/// Applies one defaults entry of the option at `owner`; true when it changed the list. An added
/// group goes right after its owner, so the primary config's own keys still come later.
bool apply_option_default(const ConfigSource& source, const OptionDefault& item, size_t owner,
                          const std::set<std::string>& from_command_line,
                          std::vector<DefaultsEntry>& entries) {
  auto chosen = std::find_if(entries.begin(), entries.end(), chooses(item.group));
  std::string where = item.mark.describe() + ": defaults: ";
  if (item.is_override && from_command_line.count(item.group)) return false;
  if (!item.is_override) {
    if (chosen != entries.end())
      throw ConfigError(where + item.group + " is already chosen (" + chosen->option +
                        "); write 'override /" + item.group + ": " + item.option +
                        "' to change it");
    check_option_exists(source, item.group, item.option, item.mark.describe());
    DefaultsEntry added;
    added.group = item.group;
    added.option = item.option;
    added.mark = item.mark;
    entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(owner) + 1, added);
    return true;
  }
  if (chosen == entries.end())
    throw ConfigError(where + "'override /" + item.group + "' has no choice of group '" +
                      item.group + "' to override (add '- " + item.group +
                      ": OPTION' to the primary config)");
  if (chosen->option == item.option) return false;
  if (chosen->pinned) {
    // The primary config's own choice wins, as in Hydra; but one the user asked for on the
    // command line (model=mlp_ae, whose encoder is mlp) must not be quietly undone.
    const DefaultsEntry& asked = entries[owner];
    if (!from_command_line.count(asked.group)) return false;
    throw ConfigError(asked.mark.describe() + ": " + asked.group + "=" + asked.option +
                      " chooses " + item.group + "=" + item.option + ", but " +
                      chosen->mark.describe() + " sets " + item.group + "=" + chosen->option +
                      "; add " + item.group + "=" + item.option + " (or " + item.group + "=" +
                      chosen->option + ") to say which");
  }
  check_option_exists(source, item.group, item.option, item.mark.describe());
  chosen->option = item.option;
  chosen->mark = item.mark;
  return true;
}

}  // namespace

void apply_option_defaults(const ConfigSource& source, std::vector<DefaultsEntry>& entries,
                           const std::set<std::string>& from_command_line) {
  std::map<std::string, std::string> applied;  // group -> option whose list was applied
  for (int round = 0;; ++round) {
    if (round > 16)
      throw ConfigError(
          "defaults lists of group options keep changing each other's choices (a cycle?)");
    bool changed = false;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].is_self || is_choice_interpolation(entries[i].option)) continue;
      std::string group = entries[i].group, option = entries[i].option;
      auto done = applied.find(group);
      if (done != applied.end() && done->second == option) continue;
      applied[group] = option;
      std::string path = option_path(source, group, option);
      if (!fs::is_regular_file(path)) continue;  // reported, or skipped if optional, later
      for (const auto& item : option_defaults(source, path))
        changed = apply_option_default(source, item, i, from_command_line, entries) || changed;
    }
    if (!changed) return;
  }
}

}  // namespace aelab
