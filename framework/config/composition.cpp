// Defaults-list composition of a primary config and its config-group choices.
#include "framework/config/composition.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "framework/config/defaults_list.h"
#include "framework/config/hydra_settings.h"
#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"

namespace fs = std::filesystem;

namespace aelab {

namespace {

/// Whether a config file's header says `# @package _global_`: Hydra's word for a file of a group
/// folder whose keys merge at the top level rather than under the group's key.
bool global_package(const std::string& path) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    if (line[start] != '#') return false;
    if (line.find("@package _global_") != std::string::npos) return true;
  }
  return false;
}

/// A `- noise/gaussian` (or `- /noise/gaussian`) entry whose folder is a config group: as in
/// Hydra, its keys go under the group's key, so it is the choice `- noise: gaussian`, unless its
/// header says `# @package _global_`. Empty where the entry is no such choice.
std::optional<DefaultsEntry> group_choice_of_path(const ConfigSource& source,
                                                  const ConfigNode& item) {
  std::string name = item.as_string();
  if (name.front() == '/') name = name.substr(1);
  const size_t slash = name.rfind('/');
  if (slash == std::string::npos || slash == 0) return std::nullopt;
  DefaultsEntry entry;
  entry.group = name.substr(0, slash);
  entry.option = name.substr(slash + 1);
  entry.mark = item.mark;
  if (!source.is_group(entry.group)) return std::nullopt;
  check_option_exists(source, entry.group, entry.option, item.mark.describe() + ": defaults");
  if (global_package(option_path(source, entry.group, entry.option))) return std::nullopt;
  return entry;
}

/// The file a `- config_name` entry of `path`'s defaults list names.
std::string config_entry_path(const ConfigSource& source, const std::string& path,
                              const ConfigNode& item) {
  const std::string& name = item.as_string();
  if (name.front() == '/') {  // a config at the top of a config folder
    const std::string found = source.locate(name.substr(1) + ".yaml");
    if (found.empty())
      throw ConfigError(item.mark.describe() + ": defaults: config '" + name +
                        "' not found (looked for " + name.substr(1) + ".yaml in " +
                        source.searched() + ")");
    return found;
  }
  fs::path target = fs::path(path).parent_path() / (name + ".yaml");
  if (!fs::is_regular_file(target))
    throw ConfigError(item.mark.describe() + ": defaults: config '" + name +
                      "' not found (looked for " + target.string() + ")");
  return target.string();
}

/// A `- [override|optional] group: option` entry of a primary config's defaults list; an empty
/// option for `group: null`.
DefaultsEntry group_entry(const ConfigSource& source, const ConfigNode& item, bool& is_override) {
  if (!item.is_map() || item.entries().size() != 1)
    throw ConfigError(item.mark.describe() +
                      ": defaults: expected '- group: option', '- _self_' or '- config_name'");
  std::string key = item.entries()[0].first;
  const ConfigNode& choice = item.entries()[0].second;
  DefaultsEntry entry;
  entry.mark = choice.mark;
  // Hydra's keywords, in either order: `optional override /encoder: tiny`.
  std::string keywords;
  for (bool keyword = true; keyword;) {
    keyword = false;
    for (auto [word, flag] : {std::pair{"override ", &is_override}, {"optional ", &entry.optional}})
      if (key.rfind(word, 0) == 0) {
        *flag = keyword = true;
        keywords += word;
        key = key.substr(std::strlen(word));
      }
  }
  if (!key.empty() && key.front() == '/') key = key.substr(1);
  const std::string where = item.mark.describe() + ": defaults: '" + key + "'";
  if (is_hydra_setting(key)) throw ConfigError(where + " is Hydra's own" + hydra_settings_note());
  if (const size_t at = key.find('@'); at != std::string::npos)
    throw ConfigError(where +
                      " places a group under a package, which aelab's configs do not use; "
                      "write '- " +
                      keywords + "/" + key.substr(0, at) + ": OPTION'");
  if (choice.kind() == ConfigNode::Kind::kString && is_choice_interpolation(choice.as_string()) &&
      choice.as_string().find(':') != std::string::npos)
    throw ConfigError(choice.mark.describe() + ": defaults: " + key + ": " + choice.as_string() +
                      ": a defaults list takes no resolver (as in Hydra); name the option, or "
                      "choose it on the command line, as in " +
                      key + "=OPTION");
  if (!source.is_group(key))
    throw ConfigError(where + " is not a config group" + suggestion_suffix(key, source.groups()));
  entry.group = key;
  if (choice.is_null()) return entry;
  if (choice.kind() != ConfigNode::Kind::kString)
    throw ConfigError(choice.mark.describe() + ": defaults: " + key +
                      ": expected an option name, got " + choice.type_name());
  entry.option = choice.as_string();
  return entry;
}

/// `earlier`, a choice of the primary config's list, made `by` a later entry of the same group:
/// its option, pinned against group options' lists; errors about it point at `by`.
void choose_instead(DefaultsEntry& earlier, const DefaultsEntry& by) {
  earlier.option = by.option;
  earlier.mark = by.mark;
  earlier.pinned = true;
}

/// A primary config's `- override /group: option` entries applied to the choices listed before
/// them (`out`).
void apply_overrides_of_list(const ConfigSource& source,
                             const std::vector<DefaultsEntry>& override_entries,
                             std::vector<DefaultsEntry>& out) {
  for (const auto& override_entry : override_entries) {
    const auto chosen = chooses(override_entry.group);
    // `optional override /noise: speckle` where there is no speckle: as in Hydra, nothing.
    if (override_entry.optional &&
        !fs::is_regular_file(option_path(source, override_entry.group, override_entry.option)))
      continue;
    bool found = false;
    for (auto& entry : out)
      if (chosen(entry)) {
        choose_instead(entry, override_entry);
        found = true;
      }
    if (!found)
      throw ConfigError(override_entry.mark.describe() + ": defaults: 'override " +
                        override_entry.group + "' has no earlier choice of that group to override");
  }
}

/// Loads `path`, strips its `defaults:` list and appends its entries (recursing into plain
/// config files) to `out`.
void gather_defaults_entries(const ConfigSource& source, const std::string& path,
                             std::vector<DefaultsEntry>& out, int depth) {
  if (depth > 16) throw ConfigError(path + ": defaults lists nest too deeply (a cycle?)");
  ConfigNode file = load_yaml_file(path);
  if (!file.is_map()) throw ConfigError(file.mark.describe() + ": a config file must be a mapping");
  if (depth == 0 && file.entries().empty())
    throw ConfigError(path +
                      ":1:1: the config is empty; start from the project's with a defaults "
                      "list, 'defaults: [/config, _self_]', then the keys to change");
  ConfigNode defaults = file.get("defaults") ? *file.get("defaults") : ConfigNode::list();
  file.remove("defaults");
  if (!defaults.is_list())
    throw ConfigError(defaults.mark.describe() + ": defaults: expected a list, got " +
                      defaults.type_name());
  DefaultsEntry self_entry;
  self_entry.is_self = true;
  self_entry.self = file;
  bool self_listed = false;
  std::vector<DefaultsEntry> override_entries;
  for (const auto& item : defaults.items()) {
    bool is_override = false;
    DefaultsEntry entry;
    if (item.kind() == ConfigNode::Kind::kString) {
      const std::string& name = item.as_string();
      if (name == "_self_") {
        if (self_listed)
          throw ConfigError(item.mark.describe() + ": defaults: _self_ is listed twice; keep one");
        out.push_back(self_entry);
        self_listed = true;
        continue;
      }
      std::optional<DefaultsEntry> choice = group_choice_of_path(source, item);
      if (!choice) {
        gather_defaults_entries(source, config_entry_path(source, path, item), out, depth + 1);
        continue;
      }
      // An option named by its path after `- /config` replaces the choice made there, its keys
      // merged last as Hydra merges such an entry's.
      auto earlier = std::find_if(out.begin(), out.end(), chooses(choice->group));
      if (earlier != out.end()) {
        choose_instead(*earlier, *choice);
        continue;
      }
      entry = *choice;
    } else {
      entry = group_entry(source, item, is_override);
    }
    if (entry.option.empty() && !is_override) continue;  // `group: null` chooses nothing
    const auto chosen = chooses(entry.group);
    if (entry.option.empty()) {  // `override /noise: null`: the choice before it is gone
      if (std::none_of(out.begin(), out.end(), chosen))
        throw ConfigError(entry.mark.describe() + ": defaults: 'override " + entry.group +
                          ": null' has no earlier choice of that group to remove");
      out.erase(std::remove_if(out.begin(), out.end(), chosen), out.end());
      continue;
    }
    // Hydra's rule: one choice per group; a second one must say it overrides the first.
    const auto& earlier_list = is_override ? override_entries : out;
    for (const auto& earlier : earlier_list)
      if (chosen(earlier))
        throw ConfigError(entry.mark.describe() + ": defaults: group '" + entry.group +
                          "' is chosen twice (first at " + earlier.mark.describe() + ")" +
                          (is_override ? "; keep one of the two overrides"
                                       : "; write '- override /" + entry.group + ": " +
                                             entry.option + "' to replace the earlier choice"));
    if (is_override)
      override_entries.push_back(entry);
    else
      out.push_back(entry);
  }
  // Without _self_, a file's own keys override what its defaults chose (Hydra >= 1.1).
  if (!self_listed) out.push_back(self_entry);
  apply_overrides_of_list(source, override_entries, out);
}

/// Hydra's defaults-list interpolation: `- decoder: ${encoder}` takes the option chosen for the
/// `encoder` group, after command-line overrides.
void resolve_choice_interpolations(const ConfigSource& source, std::vector<DefaultsEntry>& entries,
                                   const std::vector<Override>& overrides) {
  for (auto& entry : entries) {
    if (entry.is_self || !is_choice_interpolation(entry.option)) continue;
    std::string referenced = entry.option.substr(2, entry.option.size() - 3);
    auto chosen = std::find_if(entries.begin(), entries.end(), chooses(referenced));
    std::string where = entry.mark.describe() + ": defaults: " + entry.group + ": " + entry.option;
    // `~encoder` beside `decoder: ${encoder}`: the override is the mistake to name.
    auto left_out = std::find_if(overrides.begin(), overrides.end(), [&](const Override& item) {
      return item.op == Override::Op::kDelete && item.key == referenced;
    });
    if (chosen == entries.end() && left_out != overrides.end())
      throw ConfigError("override '" + left_out->text + "': leaves out the " + referenced +
                        ", which the " + entry.group + " follows (" + entry.group + ": " +
                        entry.option + " at " + entry.mark.describe() + "); choose another (" +
                        referenced + "=NAME), or for a model that reads neither (model=pca) " +
                        "leave out the " + entry.group + " too (~" + entry.group + ")");
    if (chosen == entries.end())
      throw ConfigError(where + " names no group chosen in the defaults list (choose " +
                        entry.group + "=NAME)");
    if (is_choice_interpolation(chosen->option))
      throw ConfigError(where + " refers to another interpolation; they may not chain");
    // An option that does not exist is the mistake to name, not the group that follows it.
    check_option_exists(source, referenced, chosen->option,
                        chosen->mark.describe() + (chosen->mark.line > 0 ? ": defaults" : ""));
    if (!fs::is_regular_file(option_path(source, entry.group, chosen->option)))
      throw ConfigError(where + ": group '" + entry.group + "' has no option '" + chosen->option +
                        "' to follow " + referenced + "=" + chosen->option + "; choose one with " +
                        entry.group +
                        "=NAME (known: " + join(source.group_options(entry.group), ", ") + ")");
    entry.option = chosen->option;
  }
}

/// A command-line group override (`encoder=conv`, `+noise=gaussian`, `~noise`) applied to the
/// defaults list.
void apply_command_line_choice(const ConfigSource& source, const Override& override_item,
                               std::vector<DefaultsEntry>& entries) {
  const std::string& group = override_item.key;
  auto existing = std::find_if(entries.begin(), entries.end(), chooses(group));
  std::string where = override_item.mark().describe();
  if (override_item.op == Override::Op::kForceAdd)  // as Hydra: `++` is for keys only
    throw ConfigError(where + ": ++ (force-add) does not apply to a config group; write " + group +
                      "=OPTION to change its choice, or +" + group +
                      "=OPTION to add one the defaults list lacks");
  if (override_item.op == Override::Op::kDelete) {
    if (existing == entries.end())
      throw ConfigError(where + ": group '" + group + "' is not in the defaults list");
    // As Hydra: `~noise=gaussian` deletes the group only where gaussian is its choice.
    if (override_item.has_value && override_item.value.kind() == ConfigNode::Kind::kString &&
        override_item.value.as_string() != existing->option)
      throw ConfigError(where + ": " + group + " is '" + existing->option + "', not '" +
                        override_item.value.as_string() + "', so it was not deleted (~" + group +
                        " deletes whatever it is)");
    entries.erase(existing);
    return;
  }
  if (override_item.is_sweep)
    throw ConfigError(where + ": a sweep must be expanded before composition");
  if (override_item.value.kind() != ConfigNode::Kind::kString) {
    std::string hint;
    if (override_item.value.kind() == ConfigNode::Kind::kNull)  // Hydra: no option for it
      hint = " (to leave the group out, write ~" + group + ")";
    if (override_item.value.kind() == ConfigNode::Kind::kList) {  // Hydra merges the options
      std::vector<std::string> options;
      for (const auto& item : override_item.value.items()) options.push_back(item.text());
      hint = " (aelab picks one option per group; to sweep over them, write " + group + "=" +
             join(options, ",") + ")";
    }
    throw ConfigError(where + ": " + group + ": expected an option name, got " +
                      override_item.value.type_name() + hint);
  }
  std::string option = override_item.value.as_string();
  check_option_exists(source, group, option, where);
  if (existing != entries.end()) {
    if (override_item.op == Override::Op::kAdd)
      throw ConfigError(where + ": group '" + group + "' is already in the defaults list (use " +
                        group + "=" + option + " to change it)");
    existing->option = option;
    existing->mark = override_item.mark();
    return;
  }
  if (override_item.op == Override::Op::kChange)
    throw ConfigError(where + ": group '" + group + "' is not in the defaults list (use +" + group +
                      "=" + option + " to add it)");
  DefaultsEntry added;
  added.group = group;
  added.option = option;
  added.mark = override_item.mark();
  entries.push_back(added);
}

/// The config the defaults list builds, each group's option under its group's key.
Composition merge_entries(const ConfigSource& source, const std::string& primary_path,
                          const std::vector<DefaultsEntry>& entries) {
  Composition out;
  out.config = ConfigNode::map();
  out.config.mark = SourceMark{primary_path, 1, 1};
  for (const auto& entry : entries) {
    if (entry.is_self) {
      merge_into(out.config, entry.self);
      continue;
    }
    std::string path = option_path(source, entry.group, entry.option);
    if (!fs::is_regular_file(path)) {
      if (entry.optional) continue;
      check_option_exists(source, entry.group, entry.option, entry.mark.describe());
    }
    ConfigNode group_config = load_yaml_file(path);
    group_config.remove("defaults");
    ConfigNode wrapper = ConfigNode::map();
    wrapper.set(entry.group, group_config);
    merge_into(out.config, wrapper);
    out.choices[entry.group] = entry.option;
  }
  return out;
}

}  // namespace

Composition compose(const ConfigSource& source, const std::string& primary_path,
                    const std::vector<Override>& overrides) {
  std::vector<DefaultsEntry> entries;
  gather_defaults_entries(source, primary_path, entries, 0);
  // Choices of groups that only a group option's defaults list adds (`prior=mog` after
  // model=vae adds /prior) wait until those lists are applied.
  std::set<std::string> from_command_line;
  std::vector<const Override*> deferred;
  for (const auto& override_item : overrides) {
    if (!source.is_group(override_item.key)) continue;
    from_command_line.insert(override_item.key);
    bool listed = std::any_of(entries.begin(), entries.end(), chooses(override_item.key));
    if (listed || override_item.op == Override::Op::kAdd ||
        override_item.op == Override::Op::kForceAdd)
      apply_command_line_choice(source, override_item, entries);
    else
      deferred.push_back(&override_item);
  }
  apply_option_defaults(source, entries, from_command_line);
  for (const Override* override_item : deferred)
    apply_command_line_choice(source, *override_item, entries);
  resolve_choice_interpolations(source, entries, overrides);
  return merge_entries(source, primary_path, entries);
}

std::vector<std::string> leaf_paths(const ConfigNode& config) {
  std::vector<std::string> out;
  for (const auto& [key, value] : config.entries()) {
    out.push_back(key);
    if (value.is_map())
      for (const auto& child : leaf_paths(value)) out.push_back(key + "." + child);
  }
  return out;
}

}  // namespace aelab
