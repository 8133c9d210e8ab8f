// Which jobs of a sweep the ETA times as one kind: a seed, a learning rate or a latent size
// leave the kind alone; the data's size, the layers and the importance samples change it.
#include "framework/sweep/progress/job_cost.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "framework/config/config_source.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

TEST(JobCost, KindsSplitOnlyWhereTheCostChanges) {
  ConfigSource source(testing::project_configs());
  const std::string primary = source.resolve_primary("config");
  testing::ScratchDir out;
  const SweepPlan plan = plan_sweep(
      source, primary,
      {"model=vae", "seed=0,1", "trainer.lr=1e-3,5e-4", "model.latent_dim=8,32",
       "eval.is_samples=250,1000", "data.subset=null,2000", "encoder.hidden=[512],[512,256]"},
      out.path(), 200);
  ASSERT_EQ(plan.jobs.size(), 64u);
  std::vector<const Job*> jobs;
  for (const Job& job : plan.jobs) jobs.push_back(&job);
  const std::vector<std::string> kinds = job_kinds(jobs);
  std::map<std::string, std::set<std::string>> settings_of_kind;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const ConfigNode& config = jobs[i]->config;
    settings_of_kind[kinds[i]].insert(config.find("eval.is_samples")->text() + " " +
                                      config.find("data.subset")->text() + " " +
                                      config.find("encoder.hidden")->text());
  }
  EXPECT_EQ(settings_of_kind.size(), 8u);  // 2 x 2 x 2 kinds of 8 jobs each
  for (const auto& [kind, settings] : settings_of_kind) EXPECT_EQ(settings.size(), 1u) << kind;
  EXPECT_EQ(job_epochs(jobs), std::vector<int64_t>(64, 10));
}

}  // namespace
}  // namespace aelab
