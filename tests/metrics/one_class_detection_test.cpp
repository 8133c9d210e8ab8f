// A one-class detector judged on hand-made splits with a known score: each threshold policy
// gives the number it promises, and broken scores are one clear error.
#include "framework/experiment/one_class_detection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "framework/core/error.h"
#include "framework/metrics/ranking_metrics.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

/// Images [N, 1, 1, 1] holding `values`; the score of an image is its value.
torch::Tensor images(std::vector<double> values) {
  const auto n = static_cast<int64_t>(values.size());
  return torch::tensor(values, torch::kFloat64).view({n, 1, 1, 1});
}
torch::Tensor value_score(const torch::Tensor& x) { return x.flatten(1).select(1, 0); }

OneClassData hand_made(std::vector<double> val_anomalous) {
  OneClassData data;
  data.val_normal = images({1, 2, 3, 4, 5});
  data.val_anomalous = images(std::move(val_anomalous));
  data.test_x = images({1, 2, 6, 7, 3});
  data.test_labels = {0, 0, 1, 1, 1};
  data.test_classes = torch::tensor({0, 0, 1, 2, 1});
  return data;
}

TEST(OneClassDetection, PercentileThresholdAndTheCountsAtIt) {
  Detection d = evaluate_detector(value_score, hand_made({}), ThresholdPolicy{});
  EXPECT_DOUBLE_EQ(d.metrics.at("threshold"), 4.8);     // numpy's 95th percentile of 1..5
  EXPECT_DOUBLE_EQ(d.metrics.at("recall"), 2.0 / 3.0);  // 6 and 7 lie above it, 3 does not
  EXPECT_DOUBLE_EQ(d.metrics.at("precision"), 1.0);
  EXPECT_DOUBLE_EQ(d.metrics.at("false_positive_rate"), 0.0);
  EXPECT_DOUBLE_EQ(d.metrics.at("auroc"), 1.0);
  EXPECT_DOUBLE_EQ(d.metrics.at("score_normal"), 1.5);
  EXPECT_DOUBLE_EQ(d.metrics.at("score_anomalous"), 16.0 / 3.0);
  EXPECT_EQ(d.arrays.at("test_scores").values, (std::vector<double>{1, 2, 6, 7, 3}));
  EXPECT_EQ(d.arrays.at("score_histogram_edges").values.front(), 1.0);
  EXPECT_EQ(d.arrays.at("score_histogram_edges").values.back(), 7.0);
}

TEST(OneClassDetection, BestF1UsesValidationAnomaliesOrFallsBack) {
  ThresholdPolicy best{"best_f1"};
  // Validation: normal 1..5, anomalies 4.5 and 6: flagging {6, 5, 4.5} gives F1 0.8, the best.
  Detection d = evaluate_detector(value_score, hand_made({4.5, 6}), best);
  EXPECT_EQ(d.threshold_note,
            "best_f1 on the validation split (5 normal and 2 anomalous images, 29% anomalies; "
            "the test split has 60%): a coarse estimate (raise anomaly.val_anomaly_fraction)");
  EXPECT_TRUE(d.threshold_doubtful);
  EXPECT_DOUBLE_EQ(d.metrics.at("threshold"), 4.25);
  // Enough anomalies, but a sixth of the validation split against three fifths of the test's.
  OneClassData rare = hand_made(std::vector<double>(20, 6.0));
  rare.val_normal = images(std::vector<double>(100, 1.0));
  Detection far = evaluate_detector(value_score, rare, best);
  EXPECT_TRUE(far.threshold_doubtful);
  EXPECT_NE(far.threshold_note.find("100 normal and 20 anomalous images, 17% anomalies; the "
                                    "test split has 60%): F1 depends on that share"),
            std::string::npos)
      << far.threshold_note;
  OneClassData alike = hand_made(std::vector<double>(30, 6.0));
  alike.val_normal = images(std::vector<double>(30, 1.0));
  Detection near = evaluate_detector(value_score, alike, best);
  EXPECT_FALSE(near.threshold_doubtful) << near.threshold_note;
  Detection fallback = evaluate_detector(value_score, hand_made({}), best);
  EXPECT_DOUBLE_EQ(fallback.metrics.at("threshold"), 4.8);
  EXPECT_NE(fallback.threshold_note.find("fell back to percentile"), std::string::npos);
  EXPECT_TRUE(fallback.threshold_fell_back);
  EXPECT_FALSE(near.threshold_fell_back);
  Detection fixed =
      evaluate_detector(value_score, hand_made({}), ThresholdPolicy{"fixed", 95, 2.5});
  EXPECT_DOUBLE_EQ(fixed.metrics.at("threshold"), 2.5);
  EXPECT_DOUBLE_EQ(fixed.metrics.at("recall"), 1.0);
  EXPECT_FALSE(fixed.threshold_fell_back);
  EXPECT_FALSE(
      evaluate_detector(value_score, hand_made({}), ThresholdPolicy{}).threshold_fell_back);
}

TEST(OneClassDetection, BrokenScoresAndMissingPopulationsAreClearErrors) {
  auto nan_score = [](const torch::Tensor& x) {
    return value_score(x).masked_fill(value_score(x).gt(6),
                                      std::numeric_limits<double>::quiet_NaN());
  };
  EXPECT_EQ(testing::message_of<DataError>(
                [&] { evaluate_detector(nan_score, hand_made({}), ThresholdPolicy{}); }),
            "anomaly.score: 1 of 5 test scores are NaN or infinite (the model diverged? lower "
            "trainer.lr)");
  OneClassData no_anomaly = hand_made({});
  no_anomaly.test_labels = {0, 0, 0, 0, 0};
  EXPECT_THROW(evaluate_detector(value_score, no_anomaly, ThresholdPolicy{}), DataError);
}

}  // namespace
}  // namespace aelab
