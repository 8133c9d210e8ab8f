// Options that apply only with a value of another: the optimizer's, the schedule's, the
// likelihood's.
#include "framework/sweep/jobs/inert_overrides.h"

#include <fmt/format.h>

#include <set>

#include "framework/core/suggest.h"

namespace aelab {
namespace {

/// `key` applies only where `depends_on` has the value `applies_with`.
struct ConditionalOption {
  const char* key;
  const char* depends_on;
  const char* applies_with;
};

constexpr ConditionalOption kConditionalOptions[] = {
    {"trainer.momentum", "trainer.optimizer", "sgd"},
    {"trainer.nesterov", "trainer.optimizer", "sgd"},
    {"trainer.step_size", "trainer.lr_schedule", "step"},
    {"trainer.gamma", "trainer.lr_schedule", "step"},
    {"model.sigma", "model.likelihood", "gaussian"},
    {"model.learn_sigma", "model.likelihood", "gaussian"},
    {"eval.is_samples", "model.name", "vae"},  // the importance-sampled NLL is a VAE's
    {"eval.cluster_restarts", "eval.cluster", "true"},
    {"eval.cluster_iterations", "eval.cluster", "true"},
};

}  // namespace

std::vector<std::string> inert_override_warnings(const std::vector<Override>& overrides,
                                                 const std::vector<Job>& jobs) {
  std::vector<std::string> warnings;
  for (const Override& item : overrides) {
    if (item.op == Override::Op::kDelete) continue;
    for (const ConditionalOption& option : kConditionalOptions) {
      if (item.key != option.key) continue;
      std::set<std::string> values;  // of depends_on, in the jobs that have the key
      bool used = false;
      for (const Job& job : jobs) {
        const ConfigNode* depends = job.config.find(option.depends_on);
        if (!job.config.find(option.key) || !depends || !depends->is_scalar()) continue;
        values.insert(depends->text());
        used = used || depends->text() == option.applies_with;
      }
      if (used || values.empty()) continue;
      const std::string jobs_have =
          values.size() == 1
              ? fmt::format("every job has {}={}", option.depends_on, *values.begin())
              : fmt::format("the jobs have {} {}", option.depends_on,
                            join({values.begin(), values.end()}, " or "));
      const bool evaluates = std::string(option.key).rfind("eval.", 0) == 0;
      warnings.push_back(fmt::format(
          "override '{}' changes no {}: {} applies with {}={} only, and {} (its runs {} as they "
          "would without it, under other run ids)",
          item.text, evaluates ? "result" : "training", option.key, option.depends_on,
          option.applies_with, jobs_have, evaluates ? "score" : "train"));
    }
  }
  return warnings;
}

}  // namespace aelab
