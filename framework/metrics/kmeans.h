// k-means (Lloyd's iterations) from k-means++ seedings (Arthur and Vassilvitskii 2007), several
// restarts, the lowest inertia kept; seeded by its own generator, so the same points and seed
// give the same clusters whatever else used torch's generator.
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace aelab {

/// How a k-means run is set up.
struct KMeansOptions {
  int64_t clusters = 10;
  int64_t restarts = 10;
  int64_t max_iterations = 300;
  uint64_t seed = 0;
};

/// A clustering of points [N, D].
struct KMeansResult {
  torch::Tensor centres;     ///< [K, D], float64
  torch::Tensor assignment;  ///< [N], int64 cluster indices
  torch::Tensor distance;    ///< [N], float64 Euclidean distance of each point to its centre
  double inertia = 0;        ///< sum of squared distances
  int64_t iterations = 0;    ///< of the run kept
};

/// Clusters `points` [N, D] (any device; computed in float64). Error when there are fewer
/// points than clusters.
KMeansResult kmeans(const torch::Tensor& points, const KMeansOptions& options);

}  // namespace aelab
