// Hydra's rules for value overrides on a composed config.
#include "framework/config/composition.h"
#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {
namespace {

/// The map that holds the last part of `key`, creating missing maps when `create` is set.
ConfigNode* parent_of(ConfigNode& config, const std::string& key, bool create,
                      const Override& item) {
  auto parts = split_dotted(key);
  ConfigNode* node = &config;
  std::string walked;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    walked += (i ? "." : "") + parts[i];
    ConfigNode* child = node->get(parts[i]);
    if (!child) {
      if (!create) return nullptr;
      ConfigNode fresh = ConfigNode::map();
      fresh.mark = item.mark();
      node->set(parts[i], fresh);
      child = node->get(parts[i]);
    }
    if (!child->is_map())
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

std::string did_you_mean(const std::string& key, const std::vector<std::string>& candidates) {
  std::string best = closest_match(key, candidates);
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
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
    switch (item.op) {
      case Override::Op::kChange: {
        ConfigNode* parent = parent_of(config, item.key, false, item);
        if (!parent || !parent->get(leaf)) {
          // A near miss is a typo; `+` adds only an option that the config files left out.
          const std::string typo = did_you_mean(item.key, leaf_paths(config));
          throw ConfigError(where + ": " + item.key + ": no such key in the config" +
                            (typo.empty() ? "; to add it, write +" + item.text : typo));
        }
        parent->set(leaf, value);
        break;
      }
      case Override::Op::kAdd: {
        ConfigNode* parent = parent_of(config, item.key, true, item);
        if (parent->get(leaf))
          throw ConfigError(where + ": " + item.key + ": already in the config (is '" +
                            parent->get(leaf)->text() + "'); to change it, write " +
                            item.text.substr(1));
        parent->set(leaf, value);
        break;
      }
      case Override::Op::kForceAdd:
        parent_of(config, item.key, true, item)->set(leaf, value);
        break;
      case Override::Op::kDelete: {
        ConfigNode* parent = parent_of(config, item.key, false, item);
        const ConfigNode* current = parent ? parent->get(leaf) : nullptr;
        if (!current) throw ConfigError(where + ": " + item.key + ": no such key to delete");
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
