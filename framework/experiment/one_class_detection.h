// A detector judged on a one-class split: threshold, AUROC, AUPRC, curves and histograms.
// The threshold comes from the validation scores by the chosen policy; the rest is measured on
// the test images, with what a plot needs.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "framework/data/one_class.h"
#include "framework/models/model.h"
#include "framework/results/run_record.h"

namespace aelab {

/// How the threshold is chosen.
struct ThresholdPolicy {
  std::string name = "percentile";  ///< percentile, best_f1 or fixed
  double percentile = 95;           ///< of the normal validation scores
  std::optional<double> value;      ///< the fixed threshold
  int64_t histogram_bins = 50;
};

/// Whether `policy` sets the threshold at a percentile of the normal validation scores: asked
/// for, or best_f1 with no validation anomalies to choose on (it falls back to the percentile).
bool thresholds_by_percentile(const ThresholdPolicy& policy, int64_t val_anomalies);

/// Fewer normal validation scores than this make a percentile of them a coarse threshold.
constexpr int64_t kFewNormalForPercentile = 100;

/// Per-image scores [N] (float64) of a batch of inputs.
using ScoreFunction = std::function<torch::Tensor(const torch::Tensor&)>;

/// What a detector measured.
struct Detection {
  std::map<std::string, double> metrics;     ///< auroc, auprc, precision, recall, f1, ...
  std::map<std::string, FloatArray> arrays;  ///< roc, pr, test_scores, score_histogram_*
  std::string threshold_note;                ///< which threshold was used, and why
  bool flagged_none = false;                 ///< no test image scored above the threshold
  bool threshold_fell_back = false;          ///< best_f1 had no validation anomalies: a percentile
  /// best_f1 chose the threshold on few validation anomalies, or on a share of anomalies far
  /// from the test split's (F1 depends on that share): the note says so, and the run warns.
  bool threshold_doubtful = false;
  torch::Tensor test_scores;  ///< [N] float64, on the CPU
};

/// Scores the validation and test images with `score` and measures the detector. DataError when
/// the test images lack a normal or an anomalous one.
Detection evaluate_detector(const ScoreFunction& score, const OneClassData& data,
                            const ThresholdPolicy& policy);

/// Means of the scores of the normal and anomalous validation images (`score_normal`,
/// `score_anomalous`, the latter only when there are validation anomalies).
std::map<std::string, double> validation_score_means(const ScoreFunction& score,
                                                     const OneClassData& data);

/// The `count` test images with the highest and with the lowest scores, and the model's
/// reconstructions of them (`/images/highest_scores`, `highest_reconstructions`, `lowest_*`);
/// nothing for data that are not images.
void record_extreme_images(ModelImpl& model, const torch::Tensor& test_x,
                           const torch::Tensor& scores, int64_t count, RunRecord& record);

}  // namespace aelab
