// Plugin registries: one per kind (encoder, decoder, model, dataset, experiment, ...), filled by
// registration lines beside each plugin class, and a catalog of all kinds for `run_sweep --list`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "framework/core/config_node.h"
#include "framework/core/error.h"
#include "framework/core/options.h"

namespace aelab {

/// What every plugin says about itself, whatever its kind.
struct PluginInfo {
  std::string name;
  std::string description;
  std::vector<OptionDoc> options;
  /// Defaults as a config map (with `name`), as written into results.
  std::function<ConfigNode()> defaults;
  /// Decodes a section without building anything; throws ConfigError on bad options.
  std::function<ConfigNode(const ConfigNode& section, const std::string& path)> normalize;
};

/// The config section whose `name:` picks a plugin of registry `kind`: the kind itself, but
/// `data` for datasets.
inline std::string section_of_kind(const std::string& kind) {
  return kind == "dataset" ? "data" : kind;
}

/// The registry kind of a config section (section_of_kind's inverse).
inline std::string kind_of_section(const std::string& section) {
  return section == "data" ? "dataset" : section;
}

/// Every registry by kind name, for listings.
class RegistryCatalog {
 public:
  static RegistryCatalog& instance();
  void add_kind(const std::string& kind, std::function<std::vector<PluginInfo>()> lister);
  /// (kind, plugins) in kind-name order.
  std::vector<std::pair<std::string, std::vector<PluginInfo>>> all() const;
  /// The plugin `name` of `kind`; RegistryError listing the known ones otherwise.
  PluginInfo find(const std::string& kind, const std::string& name, const std::string& where) const;
  /// The plugins of `kind` that take the option `option` (noise `gaussian` for `sigma`), by name.
  std::vector<std::string> plugins_taking(const std::string& kind, const std::string& option) const;
  /// Records a mistake in the registrations themselves (a name registered twice). Static
  /// initialization cannot report it; every program checks `problems()` first.
  void add_problem(const std::string& problem) { problems_.push_back(problem); }
  /// What add_problem() recorded; empty in a correct build.
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::map<std::string, std::function<std::vector<PluginInfo>()>> kinds_;
  std::vector<std::string> problems_;
};

/// Registry of one kind of plugin: `Product` built by `Factory` from a section and a context.
template <class Product, class Context>
class Registry {
 public:
  using Factory =
      std::function<std::shared_ptr<Product>(const ConfigNode& section, const Context& context)>;

  struct Entry {
    PluginInfo info;
    Factory make;
  };

  /// Handle returned by registration, to attach a description.
  class Registration {
   public:
    explicit Registration(Entry& entry) : entry_(entry) {}
    Registration& describe(const std::string& text) {
      entry_.info.description = text;
      return *this;
    }

   private:
    Entry& entry_;
  };

  explicit Registry(std::string kind) : kind_(std::move(kind)) {
    RegistryCatalog::instance().add_kind(kind_, [this] { return infos(); });
  }

  /// Registers `Impl`, built as `Impl(Options, Context)`; `Options` declares `visit`.
  template <class Impl, class Options>
  Registration add(const std::string& name) {
    if (entries_.count(name))
      RegistryCatalog::instance().add_problem(
          kind_ + " '" + name +
          "' is registered twice; the second registration replaced the first "
          "(rename one of the plugins)");
    Entry& entry = entries_[name];
    entry.info.name = name;
    entry.info.options = describe_options<Options>();
    entry.info.defaults = [name] {
      ConfigNode section = ConfigNode::map();
      section.set("name", ConfigNode::string(name));
      ConfigNode defaults = encode_options(Options());
      for (const auto& [key, value] : defaults.entries()) section.set(key, value);
      return section;
    };
    std::string owner = kind_ + " '" + name + "'";
    entry.info.normalize = [name, owner](const ConfigNode& section, const std::string& path) {
      ConfigNode normal = ConfigNode::map();
      normal.set("name", ConfigNode::string(name));
      ConfigNode decoded = encode_options(decode_options<Options>(section, path, owner));
      for (const auto& [key, value] : decoded.entries()) normal.set(key, value);
      return normal;
    };
    entry.make = [owner](const ConfigNode& section, const Context& context) {
      return std::make_shared<Impl>(decode_options<Options>(section, "", owner), context);
    };
    return Registration(entry);
  }

  /// The entry named `name`; RegistryError listing the known ones otherwise. `where` says which
  /// config value asked for it (`file:line:col: model.name`).
  const Entry& at(const std::string& name, const std::string& where = "") const {
    auto it = entries_.find(name);
    if (it == entries_.end()) {
      throw RegistryError((where.empty() ? "" : where + ": ") + "unknown " + kind_ + " '" + name +
                          "'" + suggestion_suffix(name, names()));
    }
    return it->second;
  }

  /// The plugin that config section `section` (`key`: `model`, `data`, ...) names in its `name`,
  /// made from that section; a ConfigError when the section names none.
  std::shared_ptr<Product> make_named(const ConfigNode& section, const std::string& key,
                                      const Context& context) const {
    const ConfigNode* name = section.is_map() ? section.get("name") : nullptr;
    const ConfigNode& place = name ? *name : section;
    const std::string where = place.mark.describe();
    if (!name)
      throw ConfigError((where.empty() ? "" : where + ": ") + key +
                        ".name: missing (choose one with " + key + "=NAME)");
    if (name->kind() != ConfigNode::Kind::kString)
      throw ConfigError((where.empty() ? "" : where + ": ") + key +
                        ".name: expected the name of a registered " + kind_ + ", got " +
                        name->type_name() + " '" + name->text() + "'" +
                        suggestion_suffix("", names()));
    return at(name->as_string(), (where.empty() ? "" : where + ": ") + key + ".name")
        .make(section, context);
  }

  bool contains(const std::string& name) const { return entries_.count(name) > 0; }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [name, entry] : entries_) out.push_back(name);
    return out;
  }

  std::vector<PluginInfo> infos() const {
    std::vector<PluginInfo> out;
    for (const auto& [name, entry] : entries_) out.push_back(entry.info);
    return out;
  }

  const std::string& kind() const { return kind_; }

 private:
  std::string kind_;
  std::map<std::string, Entry> entries_;
};

}  // namespace aelab

#define AELAB_CONCAT_INNER(a, b) a##b
#define AELAB_CONCAT(a, b) AELAB_CONCAT_INNER(a, b)
/// Registers a plugin in `registry_expression` at static-initialisation time (a variable named by
/// __COUNTER__, unique also where a unity build joins several plugin files into one unit).
#define AELAB_REGISTER_PLUGIN(registry_expression, name, Impl, Options)         \
  [[maybe_unused]] static auto AELAB_CONCAT(aelab_registration_, __COUNTER__) = \
      (registry_expression).add<Impl, Options>(name)
