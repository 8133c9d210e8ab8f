// Metrics of semantic segmentation from the pixel confusion matrix: pixel accuracy,
// intersection over union per class and its mean over the classes that occur (in the truth or
// the prediction), as in the PASCAL VOC evaluation.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace aelab {

/// Pixel counts [K, K] of true class (row) against predicted class (column); label maps
/// [N, H, W] of int64 in 0..K-1.
torch::Tensor pixel_confusion(const torch::Tensor& predicted, const torch::Tensor& truth,
                              int64_t classes);

/// What the confusion matrix says.
struct SegmentationScores {
  double pixel_accuracy = 0;
  double mean_iou = 0;      ///< over the classes with a defined IoU
  std::vector<double> iou;  ///< per class; NaN for a class neither true nor predicted anywhere
};

/// Scores of a confusion matrix [K, K] (any device).
SegmentationScores segmentation_scores(const torch::Tensor& confusion);

}  // namespace aelab
