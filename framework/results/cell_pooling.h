// What the runs of one table cell differ in besides what its row and column name: the keys a
// title says the cell pools over (seeds, and any other key such as model.name).
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace aelab {

/// Keys whose values differ between runs of one cell.
struct PooledKeys {
  std::set<std::string> keys;  ///< other than `seed`; a section's `name` stands for its options
  bool seeds = false;          ///< some cell holds runs of different seeds
};

/// What the runs of each cell differ in, from each run's config as flat `key: value` text, by
/// cell (row, column). A key one run lacks is no difference: its model does not read it.
PooledKeys pooled_keys(
    const std::map<std::pair<std::string, std::string>,
                   std::vector<std::map<std::string, std::string>>>& configs_by_cell);

}  // namespace aelab
