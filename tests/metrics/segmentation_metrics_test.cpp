// Pixel accuracy and IoU from label maps, classes absent from truth or prediction included.
#include "framework/metrics/segmentation_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace aelab {
namespace {

TEST(SegmentationMetrics, IouPerClassWithAbsentClasses) {
  // 4 classes; class 3 appears nowhere, class 2 is predicted but never true.
  torch::Tensor truth = torch::tensor({0, 0, 0, 1, 1, 1}, torch::kLong).view({1, 2, 3});
  torch::Tensor predicted = torch::tensor({0, 0, 1, 1, 1, 2}, torch::kLong).view({1, 2, 3});
  torch::Tensor confusion = pixel_confusion(predicted, truth, 4);
  EXPECT_EQ(confusion[0][0].item<int64_t>(), 2);
  EXPECT_EQ(confusion[0][1].item<int64_t>(), 1);
  EXPECT_EQ(confusion[1][2].item<int64_t>(), 1);
  SegmentationScores scores = segmentation_scores(confusion);
  EXPECT_DOUBLE_EQ(scores.pixel_accuracy, 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(scores.iou[0], 2.0 / 3.0);  // 2 hits; union 3 true + 2 predicted - 2
  EXPECT_DOUBLE_EQ(scores.iou[1], 2.0 / 4.0);  // 2 hits; union 3 + 3 - 2
  EXPECT_DOUBLE_EQ(scores.iou[2], 0.0);        // predicted once, never true
  EXPECT_TRUE(std::isnan(scores.iou[3]));      // nowhere: left out of the mean
  EXPECT_DOUBLE_EQ(scores.mean_iou, (2.0 / 3.0 + 0.5 + 0.0) / 3.0);
}

TEST(SegmentationMetrics, PerfectMapsScoreOne) {
  torch::Tensor truth = torch::randint(0, 5, {3, 8, 8}, torch::kLong);
  SegmentationScores scores = segmentation_scores(pixel_confusion(truth, truth, 5));
  EXPECT_DOUBLE_EQ(scores.pixel_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(scores.mean_iou, 1.0);
}

}  // namespace
}  // namespace aelab
