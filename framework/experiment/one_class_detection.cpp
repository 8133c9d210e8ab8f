// Judging a one-class detector.
#include "framework/experiment/one_class_detection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "framework/core/error.h"
#include "framework/experiment/run_inputs.h"
#include "framework/metrics/ranking_metrics.h"

namespace aelab {

bool thresholds_by_percentile(const ThresholdPolicy& policy, int64_t val_anomalies) {
  return policy.name == "percentile" || (policy.name == "best_f1" && val_anomalies == 0);
}

namespace {

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

/// The scores of `x`; DataError when one is NaN or infinite (a diverged model).
std::vector<double> finite_scores(const ScoreFunction& score, const torch::Tensor& x,
                                  const char* split) {
  std::vector<double> scores = to_float_array(score(x)).values;
  const auto bad = std::count_if(scores.begin(), scores.end(),
                                 [](double value) { return !std::isfinite(value); });
  if (bad > 0)
    throw DataError(
        fmt::format("anomaly.score: {} of {} {} scores are NaN or infinite (the model "
                    "diverged? lower trainer.lr)",
                    bad, scores.size(), split));
  return scores;
}

/// The threshold `policy` gives on the validation scores, and a note saying how it was found.
std::pair<double, std::string> choose_threshold(const ThresholdPolicy& policy,
                                                const std::vector<double>& normal,
                                                const std::vector<double>& anomalous) {
  if (policy.name == "fixed") return {*policy.value, "fixed"};
  const std::string by_percentile = fmt::format(
      "percentile: the {:g}th percentile of the normal validation scores", policy.percentile);
  if (policy.name == "percentile") return {percentile(normal, policy.percentile), by_percentile};
  if (thresholds_by_percentile(policy, static_cast<int64_t>(anomalous.size())))
    return {percentile(normal, policy.percentile),
            "best_f1 fell back to " + by_percentile +
                " (the validation split holds no anomalies; raise anomaly.val_anomaly_fraction)"};
  std::vector<double> scores = normal;
  std::vector<int64_t> labels(normal.size(), 0);
  scores.insert(scores.end(), anomalous.begin(), anomalous.end());
  labels.insert(labels.end(), anomalous.size(), 1);
  return {best_f1_threshold(scores, labels), "best_f1 on the validation split"};
}

/// What best_f1's threshold rests on: the validation images it was chosen on, their share of
/// anomalies beside the test split's (`test_share`), and whether either makes it doubtful.
void describe_f1_validation(size_t normal, size_t anomalous, double test_share, Detection& out) {
  constexpr size_t kFewAnomalies = 20;
  constexpr double kFarShares = 2.0;  // one share more than twice the other
  const double share = static_cast<double>(anomalous) / static_cast<double>(normal + anomalous);
  out.threshold_note += fmt::format(
      " ({} normal and {} anomalous images, {:.0f}% anomalies; the test split has {:.0f}%)", normal,
      anomalous, 100 * share, 100 * test_share);
  const bool few = anomalous < kFewAnomalies;
  const bool far = share * kFarShares < test_share || test_share * kFarShares < share;
  if (few)
    out.threshold_note += share < test_share
                              ? ": a coarse estimate (raise anomaly.val_anomaly_fraction)"
                              : ": a coarse estimate (a larger data.subset or data.val_fraction "
                                "gives more)";
  else if (far)
    out.threshold_note +=
        ": F1 depends on that share, so the threshold that is best on validation may not be on "
        "the test split (set anomaly.val_anomaly_fraction near the test share, or use "
        "anomaly.threshold=percentile)";
  out.threshold_doubtful = few || far;
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
  std::map<std::string, double> means{
      {"score_normal", score(data.val_normal).mean().item<double>()}};
  if (data.val_anomalous.size(0) > 0)
    means["score_anomalous"] = score(data.val_anomalous).mean().item<double>();
  return means;
}

Detection evaluate_detector(const ScoreFunction& score, const OneClassData& data,
                            const ThresholdPolicy& policy) {
  const std::vector<int64_t>& labels = data.test_labels;
  const int64_t anomalies = std::count(labels.begin(), labels.end(), 1);
  const int64_t normals = static_cast<int64_t>(labels.size()) - anomalies;
  if (anomalies == 0 || normals == 0)
    throw DataError(
        fmt::format("anomaly.{}_classes: the test split holds no image of those "
                    "classes; choose classes its test images have",
                    anomalies == 0 ? "anomaly" : "normal"));
  Detection out;
  std::vector<double> val_normal = finite_scores(score, data.val_normal, "validation");
  std::vector<double> val_anomalous = data.val_anomalous.size(0)
                                          ? finite_scores(score, data.val_anomalous, "validation")
                                          : std::vector<double>{};
  auto [threshold, note] = choose_threshold(policy, val_normal, val_anomalous);
  out.threshold_note = note;
  out.threshold_fell_back =
      policy.name != "percentile" && thresholds_by_percentile(policy, data.val_anomalous.size(0));
  if (policy.name == "best_f1" && !val_anomalous.empty())
    describe_f1_validation(val_normal.size(), val_anomalous.size(),
                           static_cast<double>(anomalies) / static_cast<double>(labels.size()),
                           out);
  std::vector<double> scores = finite_scores(score, data.test_x, "test");
  out.test_scores = torch::tensor(scores, torch::kFloat64);
  ThresholdMetrics at_threshold = metrics_at_threshold(scores, labels, threshold);
  out.metrics = {{"auroc", auroc(scores, labels)},
                 {"auprc", average_precision(scores, labels)},
                 {"threshold", at_threshold.threshold},
                 {"precision", at_threshold.precision},
                 {"recall", at_threshold.recall},
                 {"f1", at_threshold.f1},
                 {"false_positive_rate", at_threshold.false_positive_rate}};
  if (at_threshold.flagged == 0) {
    out.flagged_none = true;
    out.threshold_note += fmt::format(
        "; no test image scores above it (the highest scores {:.6g}): precision is 0 by "
        "convention, as scikit-learn's zero_division=0 (choose a lower threshold with "
        "anomaly.threshold, anomaly.value or anomaly.percentile)",
        *std::max_element(scores.begin(), scores.end()));
  }
  double normal_sum = 0, anomalous_sum = 0;
  for (size_t i = 0; i < scores.size(); ++i) (labels[i] ? anomalous_sum : normal_sum) += scores[i];
  out.metrics["score_normal"] = normal_sum / static_cast<double>(normals);
  out.metrics["score_anomalous"] = anomalous_sum / static_cast<double>(anomalies);
  out.arrays["roc"] = curve_array(roc_curve(scores, labels));
  out.arrays["pr"] = curve_array(precision_recall_curve(scores, labels));
  out.arrays["test_scores"] = vector_array(scores);
  add_histograms(scores, labels, policy.histogram_bins, out);
  return out;
}

void record_extreme_images(ModelImpl& model, const torch::Tensor& test_x,
                           const torch::Tensor& scores, int64_t count, RunRecord& record) {
  if (count == 0 || test_x.dim() != 4) return;  // flat data has no images to save
  torch::NoGradGuard no_grad;
  Reconstructor& reconstructor = reconstructor_of(model);
  torch::Tensor order = scores.argsort(/*dim=*/0, /*descending=*/true).to(test_x.device());
  const int64_t n = std::min(count, test_x.size(0));
  for (const auto& [name, index] : {std::pair{"highest", order.slice(0, 0, n)},
                                    std::pair{"lowest", order.flip(0).slice(0, 0, n)}}) {
    torch::Tensor images = test_x.index_select(0, index);
    record.images[std::string(name) + "_scores"] = to_image_array(images, n);
    record.images[std::string(name) + "_reconstructions"] =
        to_image_array(reconstructor.reconstruct(images), n);
  }
}

}  // namespace aelab
