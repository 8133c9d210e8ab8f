// Defaults-list composition of a primary config and its config-group choices.
#include "framework/config/composition.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "framework/config/defaults_list.h"
#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"

namespace fs = std::filesystem;

namespace aelab {

ConfigSource::ConfigSource(std::string config_dir) : config_dir_(std::move(config_dir)) {
  if (!fs::is_directory(config_dir_))
    throw ConfigError(config_dir_ +
                      ": config directory not found (--config-dir takes the folder that holds "
                      "config.yaml and the config groups, such as configs)");
}

std::vector<std::string> ConfigSource::group_options(const std::string& group) const {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(fs::path(config_dir_) / group))
    if (entry.path().extension() == ".yaml") out.push_back(entry.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

/// Whether `folder` holds primary configs (sweeps/, reproduce/): a file whose defaults list
/// takes a config of the top folder (`/config`), as a sweep does and a group's option never
/// would.
bool folder_of_primary_configs(const fs::path& folder, const fs::path& config_dir) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() != ".yaml") continue;
    try {
      const ConfigNode config = load_yaml_file(entry.path().string());
      const ConfigNode* defaults = config.is_map() ? config.get("defaults") : nullptr;
      if (!defaults || !defaults->is_list()) continue;
      for (const ConfigNode& item : defaults->items())
        if (item.kind() == ConfigNode::Kind::kString && item.as_string().size() > 1 &&
            item.as_string()[0] == '/' && item.as_string().find('/', 1) == std::string::npos &&
            fs::is_regular_file(config_dir / (item.as_string().substr(1) + ".yaml")))
          return true;
    } catch (const ConfigError&) {
      // A file that does not read is reported where it is used, not while listing groups.
    }
  }
  return false;
}

}  // namespace

bool ConfigSource::holds_primary_configs(const std::string& folder) const {
  auto known = primary_folders_.find(folder);
  if (known == primary_folders_.end())
    known =
        primary_folders_
            .emplace(folder, folder_of_primary_configs(fs::path(config_dir_) / folder, config_dir_))
            .first;
  return known->second;
}

bool ConfigSource::is_group(const std::string& name) const {
  return !name.empty() && name.find('.') == std::string::npos &&
         fs::is_directory(fs::path(config_dir_) / name) && !holds_primary_configs(name);
}

std::vector<std::string> ConfigSource::groups() const {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(config_dir_))
    if (entry.is_directory() && !holds_primary_configs(entry.path().filename().string()))
      out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string ConfigSource::resolve_primary(const std::string& name_or_path) const {
  for (const fs::path& candidate :
       {fs::path(name_or_path), fs::path(name_or_path + ".yaml"),
        fs::path(config_dir_) / name_or_path, fs::path(config_dir_) / (name_or_path + ".yaml")}) {
    if (fs::is_regular_file(candidate)) return candidate.lexically_normal().string();
  }
  std::vector<std::string> names;  // every config under config_dir_, as -c names it
  for (const auto& entry : fs::recursive_directory_iterator(config_dir_))
    if (entry.path().extension() == ".yaml")
      names.push_back(fs::relative(entry.path(), config_dir_).replace_extension().generic_string());
  std::string name = name_or_path;
  if (fs::path(name).extension() == ".yaml") name = fs::path(name).replace_extension().string();
  const std::string near = closest_match(name, names);
  throw ConfigError(name_or_path + ": config not found (" +
                    (near.empty() ? "" : "did you mean '" + near + "'? ") +
                    "give a file path or a name under " + config_dir_ +
                    ", such as sweeps/bottleneck)");
}

namespace {

/// The file a `- config_name` entry of `path`'s defaults list names.
std::string config_entry_path(const ConfigSource& source, const std::string& path,
                              const ConfigNode& item) {
  const std::string& name = item.as_string();
  fs::path target = name.front() == '/' ? fs::path(source.config_dir()) / name.substr(1)
                                        : fs::path(path).parent_path() / name;
  target += ".yaml";
  if (!fs::is_regular_file(target))
    throw ConfigError(item.mark.describe() + ": defaults: config '" + name +
                      "' not found (looked for " + target.string() + ")");
  return target.string();
}

/// A `- [override|optional] group: option` entry of a primary config's defaults list; an empty
/// group for `group: null`.
DefaultsEntry group_entry(const ConfigSource& source, const ConfigNode& item, bool& is_override) {
  if (!item.is_map() || item.entries().size() != 1)
    throw ConfigError(item.mark.describe() +
                      ": defaults: expected '- group: option', '- _self_' or '- config_name'");
  std::string key = item.entries()[0].first;
  const ConfigNode& choice = item.entries()[0].second;
  DefaultsEntry entry;
  entry.mark = choice.mark;
  if (key.rfind("override ", 0) == 0) {
    is_override = true;
    key = key.substr(9);
  } else if (key.rfind("optional ", 0) == 0) {
    entry.optional = true;
    key = key.substr(9);
  }
  if (!key.empty() && key.front() == '/') key = key.substr(1);
  if (!source.is_group(key))
    throw ConfigError(item.mark.describe() + ": defaults: '" + key + "' is not a config group" +
                      suggestion_suffix(key, source.groups()));
  if (choice.is_null()) return entry;
  if (choice.kind() != ConfigNode::Kind::kString)
    throw ConfigError(choice.mark.describe() + ": defaults: " + key +
                      ": expected an option name, got " + choice.type_name());
  entry.group = key;
  entry.option = choice.as_string();
  return entry;
}

/// Loads `path`, strips its `defaults:` list and appends its entries (recursing into plain
/// config files) to `out`.
void flatten(const ConfigSource& source, const std::string& path, std::vector<DefaultsEntry>& out,
             int depth) {
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
    if (item.kind() == ConfigNode::Kind::kString) {
      const std::string& name = item.as_string();
      if (name == "_self_") {
        if (self_listed)
          throw ConfigError(item.mark.describe() + ": defaults: _self_ is listed twice; keep one");
        out.push_back(self_entry);
        self_listed = true;
        continue;
      }
      flatten(source, config_entry_path(source, path, item), out, depth + 1);
      continue;
    }
    bool is_override = false;
    DefaultsEntry entry = group_entry(source, item, is_override);
    if (entry.group.empty()) continue;  // `group: null`
    // Hydra's rule: one choice per group; a second one must say it overrides the first.
    const auto& earlier_list = is_override ? override_entries : out;
    for (const auto& earlier : earlier_list)
      if (!earlier.is_self && earlier.group == entry.group)
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
  for (const auto& override_entry : override_entries) {
    bool found = false;
    for (auto& entry : out)
      if (!entry.is_self && entry.group == override_entry.group) {
        entry.option = override_entry.option;
        entry.mark = override_entry.mark;  // errors about the choice point at the override
        entry.pinned = true;
        found = true;
      }
    if (!found)
      throw ConfigError(override_entry.mark.describe() + ": defaults: 'override " +
                        override_entry.group + "' has no earlier choice of that group to override");
  }
}

/// Hydra's defaults-list interpolation: `- decoder: ${encoder}` takes the option chosen for the
/// `encoder` group, after command-line overrides.
void resolve_choice_interpolations(const ConfigSource& source,
                                   std::vector<DefaultsEntry>& entries) {
  for (auto& entry : entries) {
    if (entry.is_self || !is_choice_interpolation(entry.option)) continue;
    std::string referenced = entry.option.substr(2, entry.option.size() - 3);
    auto chosen = std::find_if(entries.begin(), entries.end(), [&](const DefaultsEntry& e) {
      return !e.is_self && e.group == referenced;
    });
    std::string where = entry.mark.describe() + ": defaults: " + entry.group + ": " + entry.option;
    if (chosen == entries.end())
      throw ConfigError(where + " names no group chosen in the defaults list (choose " +
                        entry.group + "=NAME)");
    if (is_choice_interpolation(chosen->option))
      throw ConfigError(where + " refers to another interpolation; they may not chain");
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
  auto existing = std::find_if(entries.begin(), entries.end(), [&](const DefaultsEntry& e) {
    return !e.is_self && e.group == group;
  });
  std::string where = override_item.mark().describe();
  if (override_item.op == Override::Op::kForceAdd)  // as Hydra: `++` is for keys only
    throw ConfigError(where + ": ++ (force-add) does not apply to a config group; write " + group +
                      "=OPTION to change its choice, or +" + group +
                      "=OPTION to add one the defaults list lacks");
  if (override_item.op == Override::Op::kDelete) {
    if (existing == entries.end())
      throw ConfigError(where + ": group '" + group + "' is not in the defaults list");
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
  flatten(source, primary_path, entries, 0);
  // Choices of groups that only a group option's defaults list adds (`prior=mog` after
  // model=vae adds /prior) wait until those lists are applied.
  std::set<std::string> from_command_line;
  std::vector<const Override*> deferred;
  for (const auto& override_item : overrides) {
    if (!source.is_group(override_item.key)) continue;
    from_command_line.insert(override_item.key);
    bool listed = std::any_of(entries.begin(), entries.end(), [&](const DefaultsEntry& e) {
      return !e.is_self && e.group == override_item.key;
    });
    if (listed || override_item.op == Override::Op::kAdd ||
        override_item.op == Override::Op::kForceAdd)
      apply_command_line_choice(source, override_item, entries);
    else
      deferred.push_back(&override_item);
  }
  apply_option_defaults(source, entries, from_command_line);
  for (const Override* override_item : deferred)
    apply_command_line_choice(source, *override_item, entries);
  resolve_choice_interpolations(source, entries);
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
