// AUROC, average precision and thresholds against cases computed by hand: ties, all-equal
// scores, a single anomaly, and no anomalies at all.
#include "framework/metrics/ranking_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "framework/core/error.h"

namespace aelab {
namespace {

TEST(RankingMetrics, MatchHandComputedValues) {
  // scikit-learn's documented example: AUROC 0.75, average precision 0.8333.
  std::vector<double> scores{0.1, 0.4, 0.35, 0.8};
  std::vector<int64_t> labels{0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(auroc(scores, labels), 0.75);
  EXPECT_NEAR(average_precision(scores, labels), 5.0 / 6.0, 1e-12);
  Curve roc = roc_curve(scores, labels);
  EXPECT_EQ(roc.x, (std::vector<double>{0, 0, 0.5, 0.5, 1}));
  EXPECT_EQ(roc.y, (std::vector<double>{0, 0.5, 0.5, 1, 1}));
}

TEST(RankingMetrics, TiesCountOneHalfAndFormOneStep) {
  EXPECT_DOUBLE_EQ(auroc({1, 1, 1, 1}, {0, 1, 0, 1}), 0.5);
  EXPECT_DOUBLE_EQ(average_precision({1, 1, 1, 1}, {0, 1, 0, 1}), 0.5);
  // The anomaly ties one normal sample and beats the other: (0.5 + 1) / 2.
  EXPECT_DOUBLE_EQ(auroc({0.5, 0.5, 0.2}, {1, 0, 0}), 0.75);
  EXPECT_DOUBLE_EQ(average_precision({0.5, 0.5, 0.2}, {1, 0, 0}), 0.5);
  // Order within a tie never matters.
  EXPECT_DOUBLE_EQ(auroc({0.5, 0.5, 0.2}, {0, 1, 0}), 0.75);
  EXPECT_EQ(precision_recall_curve({0.5, 0.5, 0.2}, {0, 1, 0}).x.size(), 3u);
}

TEST(RankingMetrics, ASingleAnomaly) {
  EXPECT_DOUBLE_EQ(auroc({0.9, 0.1, 0.2, 0.3}, {1, 0, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(average_precision({0.9, 0.1, 0.2, 0.3}, {1, 0, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(auroc({0.1, 0.5, 0.9}, {0, 1, 0}), 0.5);
  EXPECT_DOUBLE_EQ(average_precision({0.1, 0.5, 0.9}, {0, 1, 0}), 0.5);
}

TEST(RankingMetrics, AMissingClassGivesNaNNotACrash) {
  EXPECT_TRUE(std::isnan(auroc({1, 2, 3}, {0, 0, 0})));
  EXPECT_TRUE(std::isnan(average_precision({1, 2, 3}, {0, 0, 0})));
  EXPECT_TRUE(roc_curve({1, 2, 3}, {0, 0, 0}).x.empty());
  EXPECT_TRUE(std::isnan(auroc({1, 2, 3}, {1, 1, 1})));
  EXPECT_DOUBLE_EQ(average_precision({1, 2, 3}, {1, 1, 1}), 1.0);
  EXPECT_TRUE(std::isnan(auroc({}, {})));
  EXPECT_THROW(auroc({1, 2}, {0}), Error);
  EXPECT_THROW(auroc({1, std::nan("")}, {0, 1}), Error);
  ThresholdMetrics none = metrics_at_threshold({1, 2}, {0, 0}, 1.5);
  EXPECT_TRUE(std::isnan(none.recall));
  EXPECT_DOUBLE_EQ(none.false_positive_rate, 0.5);
}

TEST(RankingMetrics, CountsAtAThresholdFlagScoresAboveIt) {
  std::vector<double> scores{1, 2, 3, 4};
  std::vector<int64_t> labels{0, 0, 1, 1};
  ThresholdMetrics at2 = metrics_at_threshold(scores, labels, 2);
  EXPECT_DOUBLE_EQ(at2.precision, 1);
  EXPECT_DOUBLE_EQ(at2.recall, 1);
  EXPECT_DOUBLE_EQ(at2.f1, 1);
  EXPECT_DOUBLE_EQ(at2.false_positive_rate, 0);
  ThresholdMetrics at3 = metrics_at_threshold(scores, labels, 3);
  EXPECT_DOUBLE_EQ(at3.recall, 0.5);
  EXPECT_NEAR(at3.f1, 2.0 / 3.0, 1e-12);
  ThresholdMetrics at0 = metrics_at_threshold(scores, labels, 0);
  EXPECT_DOUBLE_EQ(at0.precision, 0.5);
  EXPECT_DOUBLE_EQ(at0.false_positive_rate, 1);
  ThresholdMetrics at9 = metrics_at_threshold(scores, labels, 9);
  EXPECT_DOUBLE_EQ(at9.precision, 0);
  EXPECT_DOUBLE_EQ(at9.f1, 0);
  EXPECT_EQ(at9.flagged, 0);
  EXPECT_EQ(at3.flagged, 1);
  EXPECT_EQ(at0.flagged, 4);
}

TEST(RankingMetrics, PercentileInterpolatesLikeNumpy) {
  EXPECT_DOUBLE_EQ(percentile({5, 1, 4, 2, 3}, 95), 4.8);
  EXPECT_DOUBLE_EQ(percentile({5, 1, 4, 2, 3}, 50), 3);
  EXPECT_DOUBLE_EQ(percentile({7}, 95), 7);
  EXPECT_DOUBLE_EQ(percentile({1, 2}, 100), 2);
  EXPECT_THROW(percentile({}, 95), Error);
}

TEST(RankingMetrics, BestF1ThresholdLiesBetweenScores) {
  // Descending: 4(a) 3(n) 2.5(a) 2(n) 1(n); flagging the top three gives F1 0.8, the best.
  std::vector<double> scores{1, 2, 3, 2.5, 4};
  std::vector<int64_t> labels{0, 0, 0, 1, 1};
  double threshold = best_f1_threshold(scores, labels);
  EXPECT_DOUBLE_EQ(threshold, 2.25);
  EXPECT_DOUBLE_EQ(metrics_at_threshold(scores, labels, threshold).f1, 0.8);
  // When flagging everything is best, the threshold lies just below the lowest score.
  double all = best_f1_threshold({1, 2}, {1, 1});
  EXPECT_LT(all, 1.0);
  EXPECT_DOUBLE_EQ(metrics_at_threshold({1, 2}, {1, 1}, all).recall, 1.0);
  EXPECT_THROW(best_f1_threshold({1, 2}, {0, 0}), Error);
}

TEST(RankingMetrics, HistogramsShareEdgesAndCloseTheLastBin) {
  EXPECT_EQ(histogram({0, 0.5, 1}, 0, 1, 2), (std::vector<double>{1, 2}));
  EXPECT_EQ(histogram({3, 3}, 3, 3, 4), (std::vector<double>{2, 0, 0, 0}));
  EXPECT_EQ(histogram({-1, 2}, 0, 1, 2), (std::vector<double>{0, 0}));
}

}  // namespace
}  // namespace aelab
