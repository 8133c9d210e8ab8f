// The catalog of registries.
#include "framework/core/registry.h"

namespace aelab {

RegistryCatalog& RegistryCatalog::instance() {
  static RegistryCatalog catalog;
  return catalog;
}

void RegistryCatalog::add_kind(const std::string& kind,
                               std::function<std::vector<PluginInfo>()> lister) {
  kinds_[kind] = std::move(lister);
}

std::vector<std::pair<std::string, std::vector<PluginInfo>>> RegistryCatalog::all() const {
  std::vector<std::pair<std::string, std::vector<PluginInfo>>> out;
  for (const auto& [kind, lister] : kinds_) out.emplace_back(kind, lister());
  return out;
}

std::vector<std::string> RegistryCatalog::plugins_taking(const std::string& kind,
                                                         const std::string& option) const {
  std::vector<std::string> names;
  auto it = kinds_.find(kind);
  if (it == kinds_.end()) return names;
  for (const PluginInfo& plugin : it->second())
    for (const OptionDoc& doc : plugin.options)
      if (doc.name == option) {
        names.push_back(plugin.name);
        break;
      }
  return names;
}

PluginInfo RegistryCatalog::find(const std::string& kind, const std::string& name,
                                 const std::string& where) const {
  auto it = kinds_.find(kind);
  if (it == kinds_.end()) throw Error("no registry of kind '" + kind + "'");
  std::vector<std::string> names;
  for (const auto& info : it->second()) {
    if (info.name == name) return info;
    names.push_back(info.name);
  }
  throw RegistryError((where.empty() ? "" : where + ": ") + "unknown " + kind + " '" + name + "'" +
                      suggestion_suffix(name, names));
}

}  // namespace aelab
