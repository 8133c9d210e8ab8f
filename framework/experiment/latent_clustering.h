// Classification by clustering in the latent space: k-means on the test codes (k = the number of
// classes in the test labels), scored against the labels, next to the same on PCA codes and on
// raw pixels; and whether a code's distance from its cluster centre tells misclustered images
// apart.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>

#include "framework/baselines/pca.h"
#include "framework/data/batch.h"
#include "framework/metrics/eval_options.h"
#include "framework/results/run_record.h"

namespace aelab {

/// Codes [N, latent_dim] of a batch of inputs.
using Encoding = std::function<torch::Tensor(const torch::Tensor& batch)>;

/// The clusters k-means looks for among test images of integer labels `labels` [N]: as many as
/// the labels hold classes (a class the test files lack is no group).
int64_t cluster_count(const torch::Tensor& labels);

/// Clusters the codes `encode` gives `test.x`, the PCA codes of `latent_dim` components and the
/// raw pixels into as many groups as `test.y` holds classes (k-means seeded with `seed`; a class
/// the test labels lack is no group), and records for each
/// test/cluster_accuracy, test/nmi, test/ari and test/misclustered_auroc (the model's under
/// metrics, the others under baselines `pca` and `raw`), and the arrays `cluster_assignment`,
/// `cluster_distance` and `cluster_centres` of the model's codes. The scores of the PCA codes and
/// raw pixels, the same beside every model of a seed, are cached in `cache_dir` (none: "") by the
/// points, labels and k-means options.
void record_latent_clustering(const Encoding& encode, const PcaBasis& pca, int64_t latent_dim,
                              const LabelledSet& test, const EvalOptions& options, uint64_t seed,
                              int64_t batch_size, const std::string& cache_dir, RunRecord& record);

}  // namespace aelab
