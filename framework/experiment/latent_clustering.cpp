// Latent clustering recorded for a run.
#include "framework/experiment/latent_clustering.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

#include "framework/core/atomic_file.h"
#include "framework/core/error.h"
#include "framework/core/hashing.h"
#include "framework/data/dataset.h"
#include "framework/experiment/run_inputs.h"
#include "framework/metrics/clustering_metrics.h"
#include "framework/metrics/kmeans.h"
#include "framework/metrics/ranking_metrics.h"

namespace aelab {
namespace {

/// What cluster_scores records.
constexpr const char* kScoreNames[] = {"cluster_accuracy", "nmi", "ari", "misclustered_auroc",
                                       "cluster_inertia"};

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
  return {{kScoreNames[0], cluster_accuracy(clusters, labels)},
          {kScoreNames[1], normalized_mutual_information(clusters, labels)},
          {kScoreNames[2], adjusted_rand_index(clusters, labels)},
          {kScoreNames[3], auroc(distances, misclustered)},
          {kScoreNames[4], result.inertia}};
}

/// The scores of k-means on `points`: from `cache_dir`, where a run of the same points, labels
/// and options put them, else computed and put there (with no cache_dir: computed). The PCA codes
/// and raw pixels of a sweep's runs are the same for every model of a seed: clustered once.
std::map<std::string, double> cached_cluster_scores(const torch::Tensor& points,
                                                    const torch::Tensor& labels,
                                                    const KMeansOptions& options,
                                                    const std::string& cache_dir) {
  auto compute = [&] { return cluster_scores(kmeans(points, options), label_vector(labels)); };
  if (cache_dir.empty()) return compute();
  // Bump the version where kmeans or cluster_scores change what they give. The device is part
  // of the key: the same pixels cluster a little differently on a GPU.
  const std::string key =
      fmt::format("kmeans-v1 {} {} {} {} {} {} {}", c10::DeviceTypeName(points.device().type()),
                  samples_hash(points), samples_hash(labels), options.clusters, options.restarts,
                  options.max_iterations, options.seed);
  const std::string path = cache_dir + "/clusters-" + hex_digits(fnv1a64(key)) + ".txt";
  std::map<std::string, double> scores;
  std::ifstream in(path);
  std::string line, name, text;
  if (in && std::getline(in, line) && line == key)
    while (in >> name >> text) scores[name] = std::strtod(text.c_str(), nullptr);  // nan, inf too
  if (std::all_of(std::begin(kScoreNames), std::end(kScoreNames),
                  [&](const char* score) { return scores.count(score); }))
    return scores;
  scores = compute();  // not cached yet (or a file cut short)
  try {                // a cache folder it cannot write in costs time, not the run
    write_file_atomically(path, [&](std::ostream& out) {
      out << key << "\n";
      for (const auto& [metric, score] : scores)
        out << metric << " " << fmt::format("{:.17g}", score) << "\n";
    });
  } catch (const Error&) {
  }
  return scores;
}

torch::Tensor batched(const Encoding& encode, const torch::Tensor& x, int64_t batch_size) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parts;
  for (int64_t begin = 0; begin < x.size(0); begin += batch_size)
    parts.push_back(encode(x.slice(0, begin, begin + batch_size)).flatten(1));
  return torch::cat(parts);
}

}  // namespace

int64_t cluster_count(const torch::Tensor& labels) {
  const std::vector<int64_t> values = label_vector(labels);
  return static_cast<int64_t>(std::set<int64_t>(values.begin(), values.end()).size());
}

void record_latent_clustering(const Encoding& encode, const PcaBasis& pca, int64_t latent_dim,
                              const LabelledSet& test, const EvalOptions& options, uint64_t seed,
                              int64_t batch_size, const std::string& cache_dir, RunRecord& record) {
  if (!test.y.defined() || test.y.dim() != 1) return;  // no class labels to compare with
  const std::vector<int64_t> labels = label_vector(test.y);
  const int64_t classes = cluster_count(test.y);
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
  for (const auto& [name, value] : cached_cluster_scores(batched(pca_codes, test.x, batch_size),
                                                         test.y, kmeans_options, cache_dir))
    record.baselines["pca"]["test"][name] = value;
  for (const auto& [name, value] :
       cached_cluster_scores(test.x.flatten(1), test.y, kmeans_options, cache_dir))
    record.baselines["raw"]["test"][name] = value;
}

}  // namespace aelab
