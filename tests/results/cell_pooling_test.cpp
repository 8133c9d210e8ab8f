// What a table cell pools over: the keys its runs differ in, a plugin's name standing for the
// options that come with it.
#include "framework/results/cell_pooling.h"

#include <gtest/gtest.h>

namespace aelab {
namespace {

using Config = std::map<std::string, std::string>;

PooledKeys of_one_cell(std::vector<Config> configs) {
  return pooled_keys({{{"2", "mlp"}, std::move(configs)}});
}

TEST(CellPooling, APluginsNameStandsForTheOptionsThatComeWithIt) {
  // Two noise models, each with its own sigma or fraction: only noise.name is pooled.
  PooledKeys plugins = of_one_cell({{{"seed", "0"}, {"noise.name", "gaussian"}, {"noise.x", "1"}},
                                    {{"seed", "1"}, {"noise.name", "masking"}, {"noise.x", "2"}}});
  EXPECT_EQ(plugins.keys, (std::set<std::string>{"noise.name"}));
  EXPECT_TRUE(plugins.seeds);
  // An option that also differs between runs of one plugin is pooled in its own right.
  PooledKeys both = of_one_cell({{{"noise.name", "masking"}, {"noise.fraction", "0.1"}},
                                 {{"noise.name", "masking"}, {"noise.fraction", "0.4"}},
                                 {{"noise.name", "salt_pepper"}, {"noise.fraction", "0.1"}}});
  EXPECT_EQ(both.keys, (std::set<std::string>{"noise.fraction", "noise.name"}));
  EXPECT_FALSE(both.seeds);
  // A key one run lacks is one its model does not read, not a difference.
  PooledKeys lacking =
      of_one_cell({{{"model.name", "ae"}, {"trainer.lr", "0.1"}}, {{"model.name", "pca"}}});
  EXPECT_EQ(lacking.keys, (std::set<std::string>{"model.name"}));
  // The cell's first run lacks the key that two later runs differ in: pooled all the same.
  PooledKeys later = of_one_cell({{{"noise.name", "gaussian"}, {"noise.sigma", "0.1"}},
                                  {{"noise.name", "gaussian"}, {"noise.sigma", "0.3"}},
                                  {{"noise.name", "masking"}, {"noise.fraction", "0.1"}},
                                  {{"noise.name", "masking"}, {"noise.fraction", "0.4"}}});
  EXPECT_EQ(later.keys, (std::set<std::string>{"noise.fraction", "noise.name", "noise.sigma"}));
}

}  // namespace
}  // namespace aelab
