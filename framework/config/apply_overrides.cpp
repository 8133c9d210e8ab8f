// Hydra's rules for value overrides on a composed config.
#include <algorithm>
#include <filesystem>
#include <optional>

#include "framework/config/composition.h"
#include "framework/config/decoder_mirror.h"
#include "framework/config/hydra_settings.h"
#include "framework/core/error.h"
#include "framework/core/registry.h"
#include "framework/core/settings_section.h"
#include "framework/core/suggest.h"

namespace aelab {
namespace {

/// The map that holds the last part of `key`, creating missing maps when `create` is set.
/// "encoder.hidden.5: encoder.hidden is a list of 2 items, numbered from 0".
std::string no_such_item(const ConfigNode& list, const std::string& path) {
  const std::string list_path = path.substr(0, path.rfind('.'));
  return path + ": " + list_path + " is a list of " + std::to_string(list.items().size()) +
         " item(s), numbered from 0";
}

ConfigNode* parent_of(ConfigNode& config, const std::string& key, bool create,
                      const Override& item) {
  auto parts = split_dotted(key);
  ConfigNode* node = &config;
  std::string walked;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    walked += (i ? "." : "") + parts[i];
    if (node->is_list()) {  // `encoder.hidden.0.x`: an item of a list, as OmegaConf
      const auto index = list_index(*node, parts[i]);
      if (!index) throw ConfigError(item.mark().describe() + ": " + no_such_item(*node, walked));
      node = &node->items()[*index];
      continue;
    }
    ConfigNode* child = node->get(parts[i]);
    if (!child) {
      if (!create) return nullptr;
      ConfigNode fresh = ConfigNode::map();
      fresh.mark = item.mark();
      node->set(parts[i], fresh);
      child = node->get(parts[i]);
    }
    if (is_mirror(*child)) {  // a decoder's layers: the list it stands for, where known
      const std::optional<ConfigNode> now = mirrored_list(config.get("encoder"), *node, parts[i]);
      throw ConfigError(item.mark().describe() + ": " + walked +
                        " is mirror (the encoder's list reversed" +
                        (now ? ", now " + now->text() : std::string()) + "), which has no item '" +
                        parts[i + 1] + "' to set; give the whole list, as in " + walked + "=[...]");
    }
    if (!child->is_map() && !child->is_list())
      throw ConfigError(item.mark().describe() + ": " + walked +
                        (child->type_name() == "int" ? " is an " : " is a ") + child->type_name() +
                        ", not a mapping, so it has no key '" + parts[i + 1] + "'");
    node = child;
  }
  return node;
}

void mark_all(ConfigNode& node, const SourceMark& mark) {
  node.mark = mark;
  for (auto& item : node.items()) mark_all(item, mark);
  for (auto& [key, value] : node.entries()) mark_all(value, mark);
}

/// `a.b.c` split into its section `a.b` and its last part `c`.
std::pair<std::string, std::string> section_and_leaf(const std::string& key) {
  const size_t dot = key.rfind('.');
  if (dot == std::string::npos) return {"", key};
  return {key.substr(0, dot), key.substr(dot + 1)};
}

/// The key of the config that `key` most likely means: a near name in the same section
/// (trainer.epoch), the same name in a near section (trainr.lr), or the one key of that name
/// in another section (latent_dim). Whole paths are not compared: 'trainer.nope' is not a typo
/// of 'trainer.lr', however long the section name.
std::string intended_key(const std::string& key, const std::vector<std::string>& candidates) {
  const auto [section, leaf] = section_and_leaf(key);
  std::vector<std::string> siblings, same_leaf_sections;
  for (const auto& candidate : candidates) {
    const auto [candidate_section, candidate_leaf] = section_and_leaf(candidate);
    if (candidate_section == section) siblings.push_back(candidate_leaf);
    if (candidate_leaf == leaf) same_leaf_sections.push_back(candidate_section);
  }
  const auto joined = [](const std::string& a, const std::string& b) {
    return a.empty() ? b : a + "." + b;
  };
  const std::string sibling = closest_match(leaf, siblings);
  if (!sibling.empty()) return joined(section, sibling);
  const std::string near_section = closest_match(section, same_leaf_sections);
  if (!near_section.empty()) return joined(near_section, leaf);
  if (same_leaf_sections.size() == 1) return joined(same_leaf_sections.front(), leaf);
  return "";
}

/// " ('~trainer' left the trainer group out)" when an earlier override deleted the group that
/// `item` sets a key of, which is why the key is missing.
std::string deleted_group_note(const ConfigSource& source, const Override& item,
                               const std::vector<Override>& overrides) {
  const std::string group = split_dotted(item.key).front();
  if (!source.is_group(group)) return "";
  for (const auto& other : overrides)
    if (other.op == Override::Op::kDelete && other.key == group)
      return " ('" + other.text + "' left the " + group + " group out)";
  return "";
}

/// The options a section of the composed config takes: a settings section's (trainer), or its
/// registered plugin's (noise 'gaussian'); nullopt where that is not known here.
std::optional<std::vector<std::string>> section_options(const ConfigNode& config,
                                                        const std::string& section) {
  std::vector<OptionDoc> docs;
  if (const SettingsSection* settings = find_settings_section(section)) {
    docs = settings->options;
  } else {
    const ConfigNode* node = config.get(section);
    const ConfigNode* name = node ? node->get("name") : nullptr;
    if (!name || name->kind() != ConfigNode::Kind::kString) return std::nullopt;
    try {
      docs = RegistryCatalog::instance()
                 .find(kind_of_section(section), name->as_string(), section)
                 .options;
    } catch (const ConfigError&) {  // no such kind, or a name it lacks: normalization says so
      return std::nullopt;
    }
  }
  std::vector<std::string> names;
  for (const auto& doc : docs) names.push_back(doc.name);
  return names;
}

/// "noise 'none' takes no options": the plugin the config chose (model 'ae' for every
/// autoencoder preset), where it names one, and `options`, its options.
std::string plugin_takes(const ConfigNode& config, const std::string& section,
                         const std::vector<std::string>& options) {
  const ConfigNode* chosen = config.find(section + ".name");
  const std::string plugin =
      chosen && chosen->kind() == ConfigNode::Kind::kString ? " '" + chosen->as_string() + "'" : "";
  return section + plugin + " takes " + (options.empty() ? "no options" : join(options, ", "));
}

/// For an option that other plugins of the section take (`takers`: noise.sigma while noise is
/// none): which, and how to choose one, or in a sweep over several, to give it to those that take
/// it. A dataset is chosen for its data, not for an option: there, only which take it.
std::string other_plugins_hint(const Override& item, const ConfigNode& config,
                               const std::string& section, const std::vector<std::string>& options,
                               const std::vector<std::string>& takers) {
  const std::string leaf = section_and_leaf(item.key).second;
  const std::string which = " (" + plugin_takes(config, section, options) + "; " + leaf +
                            " is an option of " + section + "=" +
                            join(takers, " and " + section + "=");
  if (section == "data") return which + ")";
  // Every job of a sweep runs on one launcher: no sweep has several.
  const bool plain = item.op == Override::Op::kChange && section != "launcher";
  return which + (takers.size() == 1 ? ": choose it, as in " : ": choose one, as in ") + section +
         "=" + takers.front() + " " + item.text +
         (plain ? "; a sweep over several: '++" + item.text + "' reaches those that take it" : "") +
         ")";
}

/// " (did you mean 'x'?)", or the keys the section has and how to add one it lacks.
std::string unknown_key_hint(const Override& item, const ConfigNode& config) {
  const std::string section = section_and_leaf(item.key).first;
  if (is_hydra_setting(item.key)) return hydra_settings_note();
  // A section of options that this job's experiment does not read (segmentation.* while the
  // experiment is reconstruction): `+` would add options nothing reads, and a key of the same
  // name in another section (trainer.lr for transfer.lr) is not what was meant.
  if (const SettingsSection* settings = find_settings_section(section);
      settings && !config.get(section)) {
    const ConfigNode* experiment = config.find("experiment.name");
    return " (" + section + ": options of " + settings->owner + ", which " +
           (experiment && experiment->kind() == ConfigNode::Kind::kString
                ? "experiment=" + experiment->as_string()
                : std::string("this job's experiment")) +
           " does not read; choose the experiment that does (run_sweep --list experiment), or "
           "leave the override out)";
  }
  const std::string leaf = section_and_leaf(item.key).second;
  const std::optional<std::vector<std::string>> options =
      section.find('.') == std::string::npos && !section.empty() ? section_options(config, section)
                                                                 : std::nullopt;
  const bool plugin_lacks_it =
      options && std::find(options->begin(), options->end(), leaf) == options->end();
  // An option its section's plugin takes, which a config file of one's own leaves out.
  if (options && !plugin_lacks_it)
    return " (" + section + " takes " + leaf + ", which its config file leaves out; add it with +" +
           item.text + ")";
  // A prior's option where the model is no VAE: choosing a prior would change nothing either.
  const ConfigNode* model = config.find("model.name");
  if (section == "prior" && model && model->is_scalar() && model->text() != "vae" &&
      config.get("prior"))
    return " (only a VAE reads the prior, and this job's model.name is " + model->text() +
           ": set model=vae, or leave prior options out)";
  const std::vector<std::string> takers =
      plugin_lacks_it ? RegistryCatalog::instance().plugins_taking(kind_of_section(section), leaf)
                      : std::vector<std::string>{};
  const std::string best = intended_key(item.key, leaf_paths(config));
  // A near key elsewhere, and another plugin of the section that takes this one: both, as either
  // may be meant (decoder.skips, or a segmenter's model.skips).
  if (!best.empty())
    return " (did you mean '" + best + "'?" +
           (takers.empty() ? ""
                           : " " + leaf + " is also an option of " + section + "=" +
                                 join(takers, " and " + section + "=")) +
           ")";
  if (!takers.empty()) return other_plugins_hint(item, config, section, *options, takers);
  // A key its section's plugin does not take: `+` would only fail later.
  if (plugin_lacks_it) {
    const std::string near = closest_match(leaf, *options);
    // An option its config file leaves out is added with `+`: say so at once.
    if (!near.empty() && !config.find(section + "." + near))
      return " (did you mean '+" + section + "." + near +
             item.text.substr(std::min(item.text.find('='), item.text.size())) + "'? " + section +
             " takes " + near + ", which its config file leaves out)";
    if (!near.empty()) return " (did you mean '" + section + "." + near + "'?)";
    return " (" + plugin_takes(config, section, *options) + ")";
  }
  // A top-level key aelab does not know: `+` would only be refused next.
  if (section.empty()) {
    // A section's option written without its section (batch_norm for encoder.batch_norm).
    std::vector<std::string> in_sections;
    for (const std::string& path : leaf_paths(config))
      if (section_and_leaf(path).second == item.key) in_sections.push_back("'" + path + "'");
    if (!in_sections.empty())
      return " (did you mean " + join(in_sections, " or ") +
             "? an option is set with its section's name before it)";
    std::vector<std::string> top;
    for (const auto& [key, child] : config.entries()) top.push_back(key);
    std::sort(top.begin(), top.end());
    return " (top-level keys: " + join(top, ", ") + ")";
  }
  const std::vector<std::string> candidates = leaf_paths(config);
  std::vector<std::string> keys;
  for (const auto& candidate : candidates) {
    const auto [candidate_section, leaf] = section_and_leaf(candidate);
    if (!section.empty() && candidate_section == section) keys.push_back(leaf);
  }
  return (keys.empty() ? "" : " (" + section + " has " + join(keys, ", ") + ")") +
         "; to add a key the config files leave out, write +" + item.text;
}

/// As Hydra's OmegaConf.update(merge=True): a map given for a map merges into it key by key;
/// anything else takes the key's place.
void set_or_merge(ConfigNode& parent, const std::string& leaf, const ConfigNode& value) {
  ConfigNode* current = parent.get(leaf);
  if (current && current->kind() == ConfigNode::Kind::kMap &&
      value.kind() == ConfigNode::Kind::kMap)
    merge_into(*current, value);
  else
    parent.set(leaf, value);
}

}  // namespace

void apply_value_overrides(const ConfigSource& source, ConfigNode& config,
                           const std::vector<Override>& overrides) {
  for (const auto& item : overrides) {
    if (source.is_group(item.key)) continue;
    std::string where = item.mark().describe();
    if (item.is_sweep) throw ConfigError(where + ": a sweep must be expanded before it is applied");
    std::string leaf = split_dotted(item.key).back();
    ConfigNode value = item.value;
    mark_all(value, item.mark());  // errors about nested values name the override too
    if (ConfigNode* list = parent_of(config, item.key, false, item); list && list->is_list()) {
      // An item of a list (`encoder.hidden.0=64`) can be changed, as in Hydra; the list's
      // length only changes with the whole list.
      const auto index = list_index(*list, leaf);
      if (item.op != Override::Op::kChange)
        throw ConfigError(where + ": " + item.key + ": an item of a list can be changed but not " +
                          "added or deleted; give the whole list, as " +
                          item.key.substr(0, item.key.rfind('.')) + "=[...]");
      if (!index) throw ConfigError(where + ": " + no_such_item(*list, item.key));
      list->items()[*index] = value;
      list->mark = item.mark();  // a list now wrong is the override's doing, not its file's
      continue;
    }
    switch (item.op) {
      case Override::Op::kChange: {
        ConfigNode* parent = parent_of(config, item.key, false, item);
        if (!parent || !parent->get(leaf)) {
          // A near miss is a typo; `+` adds only an option that the config files left out.
          // `sweeps=bottleneck`: a folder of primary configs, which -c takes, not a group.
          if (item.key.find('.') == std::string::npos && item.has_value &&
              std::filesystem::is_directory(source.locate(item.key)))
            throw ConfigError(
                where + ": " + item.key + "/ holds primary configs, not options of a " +
                "config group (give one with -c " + item.key + "/" + item.value.text() + ")");
          // `model/encoder=conv`: Hydra's nested groups; aelab's groups are all top-level.
          // (`hydra/launcher=...` is Hydra's own setting, said below.)
          if (const size_t slash = item.key.rfind('/'); slash != std::string::npos &&
                                                        item.key.rfind("hydra/", 0) != 0 &&
                                                        source.is_group(item.key.substr(slash + 1)))
            throw ConfigError(where + ": aelab's config groups are not nested: choose the " +
                              item.key.substr(slash + 1) + " with " + item.key.substr(slash + 1) +
                              "=" + item.value.text());
          const std::string deleted = deleted_group_note(source, item, overrides);
          throw ConfigError(where + ": " + item.key + ": no such key in the config" +
                            (deleted.empty() ? unknown_key_hint(item, config)
                                             : deleted + "; to add it alone, write +" + item.text));
        }
        set_or_merge(*parent, leaf, value);
        break;
      }
      case Override::Op::kAdd: {
        ConfigNode* parent = parent_of(config, item.key, true, item);
        ConfigNode* current = parent->get(leaf);
        // As Hydra: `+` fills a key that is null, and a list or map goes in whatever is there
        // (a map merged into a map); any other value already there is an error.
        const bool container =
            value.kind() == ConfigNode::Kind::kMap || value.kind() == ConfigNode::Kind::kList;
        if (current && current->kind() != ConfigNode::Kind::kNull && !container)
          throw ConfigError(where + ": " + item.key + ": already in the config (is '" +
                            current->text() + "'); to change it, write " + item.text.substr(1));
        set_or_merge(*parent, leaf, value);
        break;
      }
      case Override::Op::kForceAdd:
        set_or_merge(*parent_of(config, item.key, true, item), leaf, value);
        break;
      case Override::Op::kDelete: {
        ConfigNode* parent = parent_of(config, item.key, false, item);
        const ConfigNode* current = parent ? parent->get(leaf) : nullptr;
        if (!current) {
          const std::string best = intended_key(item.key, leaf_paths(config));
          throw ConfigError(where + ": " + item.key + ": no such key to delete" +
                            (best.empty() ? "" : " (did you mean '~" + best + "'?)"));
        }
        // `~model.name`: a group's name says which plugin it is, and nothing can stand for it.
        if (const std::string section = section_and_leaf(item.key).first;
            leaf == "name" && section.find('.') == std::string::npos && source.is_group(section))
          throw ConfigError(where + ": " + item.key + " names the " + section +
                            " that the config chose, so it cannot be deleted; choose another "
                            "with " +
                            section + "=OPTION, or leave the group out with ~" + section);
        if (item.has_value && *current != item.value)
          throw ConfigError(where + ": " + item.key + ": is '" + current->text() + "', not '" +
                            item.value.text() + "', so it was not deleted");
        parent->remove(leaf);
        break;
      }
    }
  }
}

}  // namespace aelab
