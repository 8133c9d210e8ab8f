// Pixel accuracy and IoU.
#include "framework/metrics/segmentation_metrics.h"

#include <cmath>

namespace aelab {

torch::Tensor pixel_confusion(const torch::Tensor& predicted, const torch::Tensor& truth,
                              int64_t classes) {
  torch::Tensor index = (truth.flatten() * classes + predicted.flatten()).to(torch::kLong);
  return torch::bincount(index, /*weights=*/{}, /*minlength=*/classes * classes)
      .view({classes, classes});
}

SegmentationScores segmentation_scores(const torch::Tensor& confusion) {
  torch::Tensor counts = confusion.to(torch::kCPU, torch::kFloat64);
  torch::Tensor hits = counts.diagonal();
  torch::Tensor unions = counts.sum(1) + counts.sum(0) - hits;
  SegmentationScores scores;
  const double total = counts.sum().item<double>();
  scores.pixel_accuracy = total > 0 ? hits.sum().item<double>() / total : std::nan("");
  double sum = 0;
  int64_t defined = 0;
  for (int64_t k = 0; k < counts.size(0); ++k) {
    const double u = unions[k].item<double>();
    const double iou = u > 0 ? hits[k].item<double>() / u : std::nan("");
    scores.iou.push_back(iou);
    if (u > 0) sum += iou, ++defined;
  }
  scores.mean_iou = defined > 0 ? sum / static_cast<double>(defined) : std::nan("");
  return scores;
}

}  // namespace aelab
