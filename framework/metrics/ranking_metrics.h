// Ranking metrics of anomaly scores: ROC and PR curves, AUROC, average precision, thresholds.
// Higher scores mean "more anomalous"; a label is 1 for an
// anomaly (the positive class) and 0 for a normal sample. Tied scores form one step of each
// curve, so no order among equal scores is ever assumed.
#pragma once

#include <cstdint>
#include <vector>

namespace aelab {

/// Points of a curve, one per distinct score from the highest down, after a start point.
struct Curve {
  std::vector<double> x;  ///< false positive rate (ROC) or recall (PR)
  std::vector<double> y;  ///< true positive rate (ROC) or precision (PR)
};

/// ROC points (false positive rate, true positive rate), from (0, 0) to (1, 1). Empty when
/// either class is absent.
Curve roc_curve(const std::vector<double>& scores, const std::vector<int64_t>& labels);

/// Area under the ROC curve (the probability that an anomaly outscores a normal sample, ties
/// counting one half). NaN when either class is absent.
double auroc(const std::vector<double>& scores, const std::vector<int64_t>& labels);

/// Precision-recall points (recall, precision), from (0, 1) to full recall. Empty without
/// anomalies.
Curve precision_recall_curve(const std::vector<double>& scores, const std::vector<int64_t>& labels);

/// Average precision, sum over distinct thresholds of (R_n - R_{n-1}) P_n, as scikit-learn's
/// average_precision_score. NaN without anomalies.
double average_precision(const std::vector<double>& scores, const std::vector<int64_t>& labels);

/// What flagging every score above a threshold gives.
struct ThresholdMetrics {
  double threshold = 0;
  double precision = 0;  ///< 0 when nothing is flagged
  double recall = 0;     ///< NaN without anomalies
  double f1 = 0;
  double false_positive_rate = 0;  ///< NaN without normal samples
  int64_t flagged = 0;             ///< how many samples score above the threshold
};

/// Flags the samples whose score is strictly above `threshold`.
ThresholdMetrics metrics_at_threshold(const std::vector<double>& scores,
                                      const std::vector<int64_t>& labels, double threshold);

/// The q-th percentile (0..100) of `values` with linear interpolation between order statistics
/// (numpy's default). Error when `values` is empty.
double percentile(std::vector<double> values, double q);

/// The threshold that maximizes F1 on (scores, labels): midway between two consecutive
/// distinct scores, or just below the lowest (everything flagged). Among equal F1s the highest
/// threshold wins. Error when there is no anomaly.
double best_f1_threshold(const std::vector<double>& scores, const std::vector<int64_t>& labels);

/// Counts of `values` in `bins` equal bins spanning [low, high] (the last bin closed).
std::vector<double> histogram(const std::vector<double>& values, double low, double high,
                              int64_t bins);

}  // namespace aelab
