// What the runs of one table cell differ in.
#include "framework/results/cell_pooling.h"

namespace aelab {

PooledKeys pooled_keys(
    const std::map<std::pair<std::string, std::string>,
                   std::vector<std::map<std::string, std::string>>>& configs_by_cell) {
  // Both runs have `key`, with different values. A key one run lacks is one its model does not
  // read (PCA has no trainer:), not a difference: model.name already tells the two apart.
  auto differ = [](const std::map<std::string, std::string>& x,
                   const std::map<std::string, std::string>& y, const std::string& key) {
    auto a = x.find(key), b = y.find(key);
    return a != x.end() && b != y.end() && a->second != b->second;
  };
  PooledKeys out;
  std::set<std::string> pooled;
  // Some two runs of a cell that both have the key differ in it: the cell's runs that have it
  // hold more than one value (not only against its first run, which may lack the key: a
  // Gaussian noise run first among masking runs of two fractions).
  for (const auto& [cell, configs] : configs_by_cell) {
    std::map<std::string, std::set<std::string>> values;
    for (const auto& config : configs)
      for (const auto& [key, value] : config) values[key].insert(value);
    for (const auto& [key, seen] : values) {
      // The sweeps' names: runs of two folders (same_run_key counts one run once).
      if (seen.size() < 2 || key == "name") continue;
      if (key == "seed")
        out.seeds = true;
      else
        pooled.insert(key);
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
          if (name_i != configs[i].end() && name_j != configs[j].end() &&
              name_i->second == name_j->second && differ(configs[i], configs[j], key))
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
