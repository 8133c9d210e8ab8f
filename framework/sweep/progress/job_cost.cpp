// Job kinds and epochs for the sweep's ETA.
#include "framework/sweep/progress/job_cost.h"

#include "framework/core/yaml_io.h"

namespace aelab {
namespace {

/// The values besides the config groups that change how long a job's epoch or its evaluation
/// takes many times over: jobs that differ in a seed, a learning rate or a latent size take
/// about as long; a quarter of the data, twice the layers or 4x the importance samples do not.
constexpr const char* kCostSettings[] = {
    "data.subset",     "data.test_subset", "trainer.batch_size",   "trainer.precision",
    "encoder.hidden",  "encoder.channels", "decoder.hidden",       "decoder.channels",
    "eval.is_samples", "eval.cluster",     "eval.cluster_restarts"};

}  // namespace

std::vector<int64_t> job_epochs(const std::vector<const Job*>& jobs) {
  std::vector<int64_t> epochs;
  for (const Job* job : jobs) {
    const ConfigNode* node = job->config.find("trainer.epochs");
    epochs.push_back(node && node->kind() == ConfigNode::Kind::kInt ? node->as_int() : 0);
  }
  return epochs;
}

std::vector<std::string> job_kinds(const std::vector<const Job*>& jobs) {
  std::vector<std::string> kinds;
  for (const Job* job : jobs) {
    std::string kind;
    for (const auto& [group, option] : job->choices) kind += group + "=" + option + " ";
    for (const char* key : kCostSettings)
      if (const ConfigNode* value = job->config.find(key))
        kind += std::string(key) + "=" + to_json(*value) + " ";
    kinds.push_back(kind);
  }
  return kinds;
}

}  // namespace aelab
