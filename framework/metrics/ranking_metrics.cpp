// Ranking metrics of anomaly scores, computed from the cumulative counts after each group of
// tied scores.
#include "framework/metrics/ranking_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "framework/core/error.h"

namespace aelab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Cumulative true and false positives after each group of equal scores, highest first.
struct RankedCounts {
  std::vector<double> scores;  ///< the group's score
  std::vector<double> true_positives;
  std::vector<double> false_positives;
  double positives = 0;
  double negatives = 0;
};

/// Error unless there is a label per score and every score is a number (NaN would break the
/// sort's ordering).
void check_scores(const std::vector<double>& scores, const std::vector<int64_t>& labels) {
  if (scores.size() != labels.size())
    throw Error("ranking metrics: " + std::to_string(scores.size()) + " scores but " +
                std::to_string(labels.size()) + " labels");
  for (double score : scores)
    if (std::isnan(score)) throw Error("ranking metrics: a score is NaN");
}

RankedCounts ranked_counts(const std::vector<double>& scores, const std::vector<int64_t>& labels) {
  check_scores(scores, labels);
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  RankedCounts counts;
  double tp = 0, fp = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    const size_t k = order[i];
    (labels[k] != 0 ? tp : fp) += 1;
    if (i + 1 == order.size() || scores[order[i + 1]] != scores[k]) {
      counts.scores.push_back(scores[k]);
      counts.true_positives.push_back(tp);
      counts.false_positives.push_back(fp);
    }
  }
  counts.positives = tp;
  counts.negatives = fp;
  return counts;
}

}  // namespace

Curve roc_curve(const std::vector<double>& scores, const std::vector<int64_t>& labels) {
  RankedCounts counts = ranked_counts(scores, labels);
  if (counts.positives == 0 || counts.negatives == 0) return {};
  Curve curve{{0.0}, {0.0}};
  for (size_t g = 0; g < counts.scores.size(); ++g) {
    curve.x.push_back(counts.false_positives[g] / counts.negatives);
    curve.y.push_back(counts.true_positives[g] / counts.positives);
  }
  return curve;
}

double auroc(const std::vector<double>& scores, const std::vector<int64_t>& labels) {
  Curve curve = roc_curve(scores, labels);
  if (curve.x.empty()) return kNaN;
  double area = 0;  // trapezoids: a tie group's diagonal counts its pairs one half
  for (size_t i = 1; i < curve.x.size(); ++i)
    area += (curve.x[i] - curve.x[i - 1]) * (curve.y[i] + curve.y[i - 1]) / 2;
  return area;
}

Curve precision_recall_curve(const std::vector<double>& scores,
                             const std::vector<int64_t>& labels) {
  RankedCounts counts = ranked_counts(scores, labels);
  if (counts.positives == 0) return {};
  Curve curve{{0.0}, {1.0}};
  for (size_t g = 0; g < counts.scores.size(); ++g) {
    const double tp = counts.true_positives[g];
    curve.x.push_back(tp / counts.positives);
    curve.y.push_back(tp / (tp + counts.false_positives[g]));
  }
  return curve;
}

double average_precision(const std::vector<double>& scores, const std::vector<int64_t>& labels) {
  Curve curve = precision_recall_curve(scores, labels);
  if (curve.x.empty()) return kNaN;
  double sum = 0;
  for (size_t i = 1; i < curve.x.size(); ++i) sum += (curve.x[i] - curve.x[i - 1]) * curve.y[i];
  return sum;
}

ThresholdMetrics metrics_at_threshold(const std::vector<double>& scores,
                                      const std::vector<int64_t>& labels, double threshold) {
  check_scores(scores, labels);
  double tp = 0, fp = 0, positives = 0, negatives = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    const bool anomaly = labels[i] != 0;
    (anomaly ? positives : negatives) += 1;
    if (scores[i] > threshold) (anomaly ? tp : fp) += 1;
  }
  ThresholdMetrics out;
  out.threshold = threshold;
  out.precision = tp + fp > 0 ? tp / (tp + fp) : 0.0;
  out.recall = positives > 0 ? tp / positives : kNaN;
  out.f1 = tp > 0 ? 2 * tp / (2 * tp + fp + (positives - tp)) : 0.0;
  out.false_positive_rate = negatives > 0 ? fp / negatives : kNaN;
  out.flagged = static_cast<int64_t>(tp + fp);
  return out;
}

double percentile(std::vector<double> values, double q) {
  if (values.empty()) throw Error("percentile of no values");
  for (double value : values)
    if (std::isnan(value)) throw Error("percentile: a value is NaN");
  std::sort(values.begin(), values.end());
  const double position =
      std::clamp(q, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  const double weight = position - static_cast<double>(below);
  return values[below] + weight * (values[above] - values[below]);
}

/// A threshold that flags the groups 0..g of `scores` (descending) and no other: midway to the
/// next lower score when the midpoint lies strictly between, else that lower score itself.
static double threshold_below(const std::vector<double>& scores, size_t g) {
  if (g + 1 == scores.size())
    return std::nextafter(scores[g], -std::numeric_limits<double>::infinity());
  const double midpoint = scores[g] / 2 + scores[g + 1] / 2;
  return midpoint < scores[g] && midpoint > scores[g + 1] ? midpoint : scores[g + 1];
}

double best_f1_threshold(const std::vector<double>& scores, const std::vector<int64_t>& labels) {
  RankedCounts counts = ranked_counts(scores, labels);
  if (counts.positives == 0) throw Error("best_f1_threshold: no anomalies among the scores");
  double best_f1 = -1, best_threshold = 0;
  for (size_t g = 0; g < counts.scores.size(); ++g) {
    // Flagging groups 0..g: the threshold lies between this group and the next lower one.
    const double tp = counts.true_positives[g];
    const double f1 = 2 * tp / (tp + counts.false_positives[g] + counts.positives);
    if (f1 <= best_f1) continue;
    best_f1 = f1;
    best_threshold = threshold_below(counts.scores, g);
  }
  return best_threshold;
}

std::vector<double> histogram(const std::vector<double>& values, double low, double high,
                              int64_t bins) {
  std::vector<double> counts(static_cast<size_t>(std::max<int64_t>(bins, 1)), 0.0);
  const double width = (high - low) / static_cast<double>(counts.size());
  for (double value : values) {
    if (value < low || value > high || std::isnan(value)) continue;
    size_t bin = width > 0 ? static_cast<size_t>((value - low) / width) : 0;
    counts[std::min(bin, counts.size() - 1)] += 1;
  }
  return counts;
}

}  // namespace aelab
