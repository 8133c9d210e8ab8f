// The direction of every metric the experiments record (listed in metric_directions.def).
#include "framework/results/metric_direction.h"

#include <map>
#include <set>

namespace {

// The directions metric_directions.def names.
const std::optional<bool> kBetter_lower = false, kBetter_higher = true, kBetter_none;

}  // namespace

namespace aelab {

std::optional<bool> higher_is_better(const std::string& metric,
                                     const std::map<std::string, bool>& overrides) {
  const std::string name = metric.substr(metric.rfind('/') + 1);
  for (const auto& key : {metric, name})
    if (auto it = overrides.find(key); it != overrides.end()) return it->second;
  static const std::map<std::string, std::optional<bool>> listed = {
#define AELAB_METRIC(direction, name) {name, kBetter_##direction},
#include "framework/results/metric_directions.def"
#undef AELAB_METRIC
  };
  if (auto it = listed.find(name); it != listed.end()) return it->second;
  if (name.rfind("iou_", 0) == 0) return true;
  return std::nullopt;
}

RelativeForm relative_form(const std::string& metric) {
  const std::string name = metric.substr(metric.rfind('/') + 1);
  if (name.size() >= 4 && name.compare(name.size() - 4, 4, "psnr") == 0) return {true, "dB"};
  if (name == "nll_is" || name == "elbo" || name == "kl") return {true, "nats"};
  static const std::set<std::string> scores = {"auroc",
                                               "auprc",
                                               "accuracy",
                                               "accuracy_frozen",
                                               "miou",
                                               "pixel_accuracy",
                                               "precision",
                                               "recall",
                                               "f1",
                                               "nmi",
                                               "ari",
                                               "cluster_accuracy",
                                               "misclustered_auroc"};
  if (scores.count(name) || name.rfind("iou_", 0) == 0) return {true, ""};
  return {};
}

bool compared_by_difference(const std::string& metric) { return relative_form(metric).difference; }

bool is_count(const std::string& metric) {
  return metric.substr(metric.rfind('/') + 1) == "active_units";
}

}  // namespace aelab
