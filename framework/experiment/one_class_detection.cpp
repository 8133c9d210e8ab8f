// Judging a one-class detector.
#include "framework/experiment/one_class_detection.h"

#include <fmt/format.h>

#include "framework/core/error.h"
#include "framework/experiment/run_inputs.h"
#include "framework/metrics/ranking_metrics.h"

namespace aelab {
namespace {

std::vector<double> to_vector(const torch::Tensor& values) {
  torch::Tensor flat = values.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  return {flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel()};
}

FloatArray curve_array(const Curve& curve) {
  FloatArray out{{}, {curve.x.size(), 2}};
  for (size_t i = 0; i < curve.x.size(); ++i) {
    out.values.push_back(curve.x[i]);
    out.values.push_back(curve.y[i]);
  }
  return out;
}

FloatArray vector_array(std::vector<double> values) {
  const uint64_t size = values.size();
  return {std::move(values), {size}};
}

/// The threshold `policy` gives on the validation scores, and a note saying how it was found.
std::pair<double, std::string> choose_threshold(const ThresholdPolicy& policy,
                                                const std::vector<double>& normal,
                                                const std::vector<double>& anomalous) {
  if (policy.name == "fixed") return {*policy.value, "fixed"};
  const std::string by_percentile =
      fmt::format("percentile: the {:g}th percentile of the normal validation scores",
                  policy.percentile);
  if (policy.name == "percentile") return {percentile(normal, policy.percentile), by_percentile};
  if (anomalous.empty())
    return {percentile(normal, policy.percentile),
            "best_f1 fell back to " + by_percentile +
                " (the validation split holds no anomalies; raise anomaly.val_anomaly_fraction)"};
  std::vector<double> scores = normal;
  std::vector<int64_t> labels(normal.size(), 0);
  scores.insert(scores.end(), anomalous.begin(), anomalous.end());
  labels.insert(labels.end(), anomalous.size(), 1);
  return {best_f1_threshold(scores, labels), "best_f1 on the validation split"};
}

/// Histograms of normal and anomalous test scores over shared bin edges.
void add_histograms(const std::vector<double>& scores, const std::vector<int64_t>& labels,
                    int64_t bins, Detection& out) {
  std::vector<double> normal, anomalous;
  for (size_t i = 0; i < scores.size(); ++i) (labels[i] ? anomalous : normal).push_back(scores[i]);
  const double low = *std::min_element(scores.begin(), scores.end());
  const double high = *std::max_element(scores.begin(), scores.end());
  std::vector<double> edges;
  for (int64_t b = 0; b <= bins; ++b)
    edges.push_back(low + (high - low) * static_cast<double>(b) / static_cast<double>(bins));
  out.arrays["score_histogram_edges"] = vector_array(edges);
  out.arrays["score_histogram_normal"] = vector_array(histogram(normal, low, high, bins));
  out.arrays["score_histogram_anomalous"] = vector_array(histogram(anomalous, low, high, bins));
}

}  // namespace

std::map<std::string, double> validation_score_means(const ScoreFunction& score,
                                                     const OneClassData& data) {
  std::map<std::string, double> means{{"score_normal", score(data.val_normal).mean().item<double>()}};
  if (data.val_anomalous.size(0) > 0)
    means["score_anomalous"] = score(data.val_anomalous).mean().item<double>();
  return means;
}

Detection evaluate_detector(const ScoreFunction& score, const OneClassData& data,
                            const ThresholdPolicy& policy) {
  const std::vector<int64_t>& labels = data.test_labels;
  const int64_t anomalies = std::count(labels.begin(), labels.end(), 1);
  if (anomalies == 0 || anomalies == static_cast<int64_t>(labels.size()))
    throw DataError(fmt::format("anomaly: the test split holds {} normal and {} anomalous images; "
                                "both are needed (check anomaly.*_classes and data.subset)",
                                labels.size() - anomalies, anomalies));
  Detection out;
  std::vector<double> val_normal = to_vector(score(data.val_normal));
  std::vector<double> val_anomalous =
      data.val_anomalous.size(0) ? to_vector(score(data.val_anomalous)) : std::vector<double>{};
  auto [threshold, note] = choose_threshold(policy, val_normal, val_anomalous);
  out.threshold_note = note;
  out.test_scores = score(data.test_x).to(torch::kCPU, torch::kFloat64);
  std::vector<double> scores = to_vector(out.test_scores);
  ThresholdMetrics at = metrics_at_threshold(scores, labels, threshold);
  out.metrics = {{"auroc", auroc(scores, labels)},
                 {"auprc", average_precision(scores, labels)},
                 {"threshold", at.threshold},
                 {"precision", at.precision},
                 {"recall", at.recall},
                 {"f1", at.f1},
                 {"false_positive_rate", at.false_positive_rate}};
  double normal_sum = 0, anomalous_sum = 0;
  for (size_t i = 0; i < scores.size(); ++i) (labels[i] ? anomalous_sum : normal_sum) += scores[i];
  out.metrics["score_normal"] = normal_sum / static_cast<double>(labels.size() - anomalies);
  out.metrics["score_anomalous"] = anomalous_sum / static_cast<double>(anomalies);
  out.arrays["roc"] = curve_array(roc_curve(scores, labels));
  out.arrays["pr"] = curve_array(precision_recall_curve(scores, labels));
  out.arrays["test_scores"] = vector_array(scores);
  add_histograms(scores, labels, policy.histogram_bins, out);
  return out;
}

}  // namespace aelab
