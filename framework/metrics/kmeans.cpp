// k-means with k-means++ seeding.
#include "framework/metrics/kmeans.h"

#include <algorithm>
#include <random>

#include "framework/core/error.h"

namespace aelab {
namespace {

/// Squared distances [N, K] of points to centres, never negative.
torch::Tensor squared_distances(const torch::Tensor& points, const torch::Tensor& point_norms,
                                const torch::Tensor& centres) {
  torch::Tensor d = point_norms.unsqueeze(1) - 2 * torch::matmul(points, centres.t()) +
                    centres.pow(2).sum(1).unsqueeze(0);
  return d.clamp_min(0);
}

/// k-means++: the first centre uniformly, each next one with probability proportional to the
/// squared distance to the nearest centre chosen so far.
torch::Tensor seed_centres(const torch::Tensor& points, const torch::Tensor& point_norms, int64_t k,
                           std::mt19937_64& rng) {
  const int64_t n = points.size(0);
  const torch::Device device = points.device();
  auto row = [&](int64_t index) { return torch::tensor({index}, torch::kLong).to(device); };
  std::vector<int64_t> chosen{std::uniform_int_distribution<int64_t>(0, n - 1)(rng)};
  torch::Tensor nearest =
      squared_distances(points, point_norms, points.index_select(0, row(chosen[0]))).squeeze(1);
  while (static_cast<int64_t>(chosen.size()) < k) {
    torch::Tensor cumulative = nearest.cumsum(0).cpu().contiguous();
    const double* sums = cumulative.data_ptr<double>();
    const double total = sums[n - 1];
    int64_t next;
    if (total <= 0) {  // every point sits on a centre: any point will do
      next = std::uniform_int_distribution<int64_t>(0, n - 1)(rng);
    } else {
      double draw = std::uniform_real_distribution<double>(0, total)(rng);
      next = std::min<int64_t>(std::upper_bound(sums, sums + n, draw) - sums, n - 1);
    }
    chosen.push_back(next);
    torch::Tensor centre = points.index_select(0, row(next));
    nearest = torch::minimum(nearest, squared_distances(points, point_norms, centre).squeeze(1));
  }
  return points.index_select(0, torch::tensor(chosen).to(device));
}

/// Lloyd's iterations from `centres` until no point changes cluster; an empty cluster keeps its
/// centre.
KMeansResult lloyd(const torch::Tensor& points, const torch::Tensor& point_norms,
                   torch::Tensor centres, int64_t max_iterations) {
  const int64_t k = centres.size(0);
  torch::Tensor assignment;
  KMeansResult result;
  for (result.iterations = 1; result.iterations <= max_iterations; ++result.iterations) {
    torch::Tensor next = squared_distances(points, point_norms, centres).argmin(1);
    bool settled = assignment.defined() && next.equal(assignment);
    assignment = next;
    if (settled) break;
    torch::Tensor sums = torch::zeros_like(centres).index_add_(0, assignment, points);
    torch::Tensor counts = torch::zeros({k}, points.options())
                               .index_add_(0, assignment, torch::ones_like(point_norms));
    torch::Tensor empty = counts.eq(0);
    centres = torch::where(empty.unsqueeze(1), centres, sums / counts.clamp_min(1).unsqueeze(1));
  }
  result.iterations = std::min(result.iterations, max_iterations);
  torch::Tensor d = squared_distances(points, point_norms, centres);
  auto [nearest, index] = d.min(1);
  result.centres = centres;
  result.assignment = index;
  result.distance = nearest.sqrt();
  result.inertia = nearest.sum().item<double>();
  return result;
}

}  // namespace

KMeansResult kmeans(const torch::Tensor& points, const KMeansOptions& options) {
  if (points.dim() != 2 || points.size(0) < options.clusters)
    throw Error("k-means: " + std::to_string(options.clusters) +
                " clusters need at least as many "
                "points [N, D]; got " +
                c10::str(points.sizes()));
  torch::NoGradGuard no_grad;
  torch::Tensor x = points.to(torch::kFloat64);
  torch::Tensor norms = x.pow(2).sum(1);
  std::mt19937_64 rng(options.seed);
  KMeansResult best;
  for (int64_t restart = 0; restart < options.restarts; ++restart) {
    torch::Tensor start = seed_centres(x, norms, options.clusters, rng);
    KMeansResult result = lloyd(x, norms, start, options.max_iterations);
    if (restart == 0 || result.inertia < best.inertia) best = result;
  }
  best.centres = best.centres.cpu();
  best.assignment = best.assignment.cpu();
  best.distance = best.distance.cpu();
  return best;
}

}  // namespace aelab
