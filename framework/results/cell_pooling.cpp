// What the runs of one table cell differ in.
#include "framework/results/cell_pooling.h"

namespace aelab {

PooledKeys pooled_keys(
    const std::map<std::pair<std::string, std::string>,
                   std::vector<std::map<std::string, std::string>>>& configs_by_cell) {
  PooledKeys out;
  std::set<std::string> pooled;
  for (const auto& [cell, configs] : configs_by_cell)
    for (size_t i = 1; i < configs.size(); ++i) {
      std::set<std::string> keys;
      for (const auto& [key, value] : configs[0]) keys.insert(key);
      for (const auto& [key, value] : configs[i]) keys.insert(key);
      // A key one run lacks is one its model does not read (PCA has no trainer:), not a
      // difference: model.name already tells the two apart.
      for (const auto& key : keys) {
        auto a = configs[0].find(key), b = configs[i].find(key);
        bool differ = a != configs[0].end() && b != configs[i].end() && a->second != b->second;
        if (differ && key == "seed") out.seeds = true;
        if (differ && key != "seed") pooled.insert(key);
      }
    }
  // When a section's plugin differs (`encoder.name`), its other options follow: name only it,
  // unless an option differs between runs of the same plugin too (`noise.fraction` of two
  // masking runs beside salt-and-pepper ones).
  auto differs_within_a_plugin = [&](const std::string& key, const std::string& name_key) {
    for (const auto& [cell, configs] : configs_by_cell)
      for (size_t i = 0; i < configs.size(); ++i)
        for (size_t j = i + 1; j < configs.size(); ++j) {
          auto name_i = configs[i].find(name_key), name_j = configs[j].find(name_key);
          auto a = configs[i].find(key), b = configs[j].find(key);
          if (name_i != configs[i].end() && name_j != configs[j].end() &&
              name_i->second == name_j->second && a != configs[i].end() && b != configs[j].end() &&
              a->second != b->second)
            return true;
        }
    return false;
  };
  for (const auto& key : pooled) {
    size_t dot = key.rfind('.');
    const std::string name_key = key.substr(0, key.find('.')) + ".name";
    bool follows_a_name = dot != std::string::npos && key.substr(dot) != ".name" &&
                          pooled.count(name_key) && !differs_within_a_plugin(key, name_key);
    if (!follows_a_name) out.keys.insert(key);
  }
  return out;
}

}  // namespace aelab
