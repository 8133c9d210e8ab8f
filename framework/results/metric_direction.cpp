// The direction of every metric the experiments record.
#include "framework/results/metric_direction.h"

#include <set>

namespace aelab {

std::optional<bool> higher_is_better(const std::string& metric,
                                     const std::map<std::string, bool>& overrides) {
  const std::string name = metric.substr(metric.rfind('/') + 1);
  for (const auto& key : {metric, name})
    if (auto it = overrides.find(key); it != overrides.end()) return it->second;
  // In neither: kl (a low KL term is also a posterior that collapsed onto the prior), the
  // corrupted input's own noisy_* (no model made it) and active_units (a count, not a score).
  static const std::set<std::string> lower = {"mse",
                                              "sse",
                                              "nll_is",
                                              "recon",
                                              "cross_entropy",
                                              "loss",
                                              "false_positive_rate",
                                              "denoise_mse",
                                              "denoise_sse",
                                              "cluster_inertia"};
  static const std::set<std::string> higher = {"psnr",
                                               "denoise_psnr",
                                               "elbo",
                                               "auroc",
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
  if (lower.count(name)) return false;
  if (higher.count(name) || name.rfind("iou_", 0) == 0) return true;
  return std::nullopt;
}

bool in_decibels(const std::string& metric) {
  const std::string name = metric.substr(metric.rfind('/') + 1);
  return name.size() >= 4 && name.compare(name.size() - 4, 4, "psnr") == 0;
}

bool is_count(const std::string& metric) {
  return metric.substr(metric.rfind('/') + 1) == "active_units";
}

}  // namespace aelab
