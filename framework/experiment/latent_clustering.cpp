// Latent clustering recorded for a run.
#include "framework/experiment/latent_clustering.h"

#include "framework/data/dataset.h"
#include "framework/experiment/run_inputs.h"
#include "framework/metrics/clustering_metrics.h"
#include "framework/metrics/kmeans.h"
#include "framework/metrics/ranking_metrics.h"

namespace aelab {
namespace {

/// The metrics of one clustering of `points` against `labels`.
std::map<std::string, double> cluster_scores(const KMeansResult& result,
                                             const std::vector<int64_t>& labels) {
  std::vector<int64_t> clusters = label_vector(result.assignment);
  std::vector<int64_t> mapped = cluster_to_class(clusters, labels);
  std::vector<int64_t> misclustered(labels.size());
  torch::Tensor distance = result.distance.contiguous();
  std::vector<double> distances(distance.data_ptr<double>(),
                                distance.data_ptr<double>() + distance.numel());
  for (size_t i = 0; i < labels.size(); ++i) misclustered[i] = mapped[clusters[i]] != labels[i];
  return {{"cluster_accuracy", cluster_accuracy(clusters, labels)},
          {"nmi", normalized_mutual_information(clusters, labels)},
          {"ari", adjusted_rand_index(clusters, labels)},
          {"misclustered_auroc", auroc(distances, misclustered)},
          {"cluster_inertia", result.inertia}};
}

torch::Tensor batched(const Encoding& encode, const torch::Tensor& x, int64_t batch_size) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parts;
  for (int64_t begin = 0; begin < x.size(0); begin += batch_size)
    parts.push_back(encode(x.slice(0, begin, begin + batch_size)).flatten(1));
  return torch::cat(parts);
}

}  // namespace

void record_latent_clustering(const Encoding& encode, const PcaBasis& pca, int64_t latent_dim,
                              const LabelledSet& test, int64_t classes, const EvalOptions& options,
                              uint64_t seed, int64_t batch_size, RunRecord& record) {
  if (!test.y.defined() || test.y.dim() != 1) return;  // no class labels to compare with
  const std::vector<int64_t> labels = label_vector(test.y);
  const KMeansOptions kmeans_options{classes, options.cluster_restarts, options.cluster_iterations,
                                     seed};
  KMeansResult codes = kmeans(batched(encode, test.x, batch_size), kmeans_options);
  for (const auto& [name, value] : cluster_scores(codes, labels))
    record.metrics["test"][name] = value;
  record.arrays["cluster_assignment"] = to_float_array(codes.assignment);
  record.arrays["cluster_distance"] = to_float_array(codes.distance);
  record.arrays["cluster_centres"] = to_float_array(codes.centres);
  const int64_t k = std::min(latent_dim, pca.rank());
  auto pca_codes = [&](const torch::Tensor& batch) { return pca.encode(batch, k); };
  KMeansResult by_pca = kmeans(batched(pca_codes, test.x, batch_size), kmeans_options);
  for (const auto& [name, value] : cluster_scores(by_pca, labels))
    record.baselines["pca"]["test"][name] = value;
  KMeansResult by_pixels = kmeans(test.x.flatten(1), kmeans_options);
  for (const auto& [name, value] : cluster_scores(by_pixels, labels))
    record.baselines["raw"]["test"][name] = value;
}

}  // namespace aelab
