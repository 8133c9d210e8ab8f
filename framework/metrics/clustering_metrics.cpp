// Agreement between clusters and classes.
#include "framework/metrics/clustering_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "framework/core/error.h"

namespace aelab {
namespace {

int64_t group_count(const std::vector<int64_t>& ids) {
  int64_t count = 0;
  for (int64_t id : ids) {
    if (id < 0) throw Error("clustering metrics: negative cluster or class index");
    count = std::max(count, id + 1);
  }
  return count;
}

double entropy(const std::vector<int64_t>& counts, double total) {
  double h = 0;
  for (int64_t count : counts)
    if (count > 0) h -= count / total * std::log(count / total);
  return h;
}

double pairs(double n) { return n * (n - 1) / 2; }

}  // namespace

std::vector<std::vector<int64_t>> contingency_table(const std::vector<int64_t>& clusters,
                                                    const std::vector<int64_t>& classes) {
  if (clusters.size() != classes.size())
    throw Error("clustering metrics: as many cluster indices as class labels needed");
  std::vector<std::vector<int64_t>> counts(group_count(clusters),
                                           std::vector<int64_t>(group_count(classes), 0));
  for (size_t i = 0; i < clusters.size(); ++i) ++counts[clusters[i]][classes[i]];
  return counts;
}

std::vector<int64_t> max_weight_matching(const std::vector<std::vector<int64_t>>& weights) {
  // The O(n^3) Hungarian method with potentials on the square matrix of costs -weight, padded
  // with zeros; rows and columns are 1-based inside, 0 being the "no one yet" sentinel.
  const size_t rows = weights.size(), cols = rows ? weights[0].size() : 0;
  const size_t n = std::max(rows, cols);
  auto cost = [&](size_t r, size_t c) -> double {
    return r < rows && c < cols ? -static_cast<double>(weights[r][c]) : 0.0;
  };
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0), v(n + 1, 0);
  std::vector<size_t> row_of(n + 1, 0), way(n + 1, 0);
  for (size_t r = 1; r <= n; ++r) {
    row_of[0] = r;
    size_t col = 0;
    std::vector<double> min_slack(n + 1, inf);
    std::vector<bool> used(n + 1, false);
    do {
      used[col] = true;
      size_t row = row_of[col], next = 0;
      double delta = inf;
      for (size_t c = 1; c <= n; ++c) {
        if (used[c]) continue;
        double slack = cost(row - 1, c - 1) - u[row] - v[c];
        if (slack < min_slack[c]) min_slack[c] = slack, way[c] = col;
        if (min_slack[c] < delta) delta = min_slack[c], next = c;
      }
      for (size_t c = 0; c <= n; ++c) {
        if (used[c]) {
          u[row_of[c]] += delta;
          v[c] -= delta;
        } else {
          min_slack[c] -= delta;
        }
      }
      col = next;
    } while (row_of[col] != 0);
    do {
      size_t previous = way[col];
      row_of[col] = row_of[previous];
      col = previous;
    } while (col != 0);
  }
  std::vector<int64_t> matching(rows, -1);
  for (size_t c = 1; c <= n; ++c)
    if (row_of[c] >= 1 && row_of[c] <= rows && c <= cols)
      matching[row_of[c] - 1] = static_cast<int64_t>(c - 1);
  return matching;
}

std::vector<int64_t> cluster_to_class(const std::vector<int64_t>& clusters,
                                      const std::vector<int64_t>& classes) {
  return max_weight_matching(contingency_table(clusters, classes));
}

double cluster_accuracy(const std::vector<int64_t>& clusters, const std::vector<int64_t>& classes) {
  if (clusters.empty()) return std::nan("");
  std::vector<int64_t> mapped = cluster_to_class(clusters, classes);
  int64_t right = 0;
  for (size_t i = 0; i < clusters.size(); ++i) right += mapped[clusters[i]] == classes[i];
  return static_cast<double>(right) / static_cast<double>(clusters.size());
}

double normalized_mutual_information(const std::vector<int64_t>& clusters,
                                     const std::vector<int64_t>& classes) {
  auto counts = contingency_table(clusters, classes);
  const double n = static_cast<double>(clusters.size());
  std::vector<int64_t> cluster_sizes, class_sizes(counts.empty() ? 0 : counts[0].size(), 0);
  for (const auto& row : counts) {
    int64_t size = 0;
    for (size_t k = 0; k < row.size(); ++k) size += row[k], class_sizes[k] += row[k];
    cluster_sizes.push_back(size);
  }
  double mutual = 0;
  for (size_t c = 0; c < counts.size(); ++c)
    for (size_t k = 0; k < counts[c].size(); ++k)
      if (counts[c][k] > 0)
        mutual +=
            counts[c][k] / n *
            std::log(n * counts[c][k] / (static_cast<double>(cluster_sizes[c]) * class_sizes[k]));
  double h_clusters = entropy(cluster_sizes, n), h_classes = entropy(class_sizes, n);
  if (h_clusters == 0 && h_classes == 0) return 1.0;  // both one group: the same partition
  return std::max(0.0, mutual) / ((h_clusters + h_classes) / 2);
}

double adjusted_rand_index(const std::vector<int64_t>& clusters,
                           const std::vector<int64_t>& classes) {
  auto counts = contingency_table(clusters, classes);
  double index = 0, cluster_pairs = 0, class_pairs = 0;
  std::vector<double> class_sizes(counts.empty() ? 0 : counts[0].size(), 0);
  for (const auto& row : counts) {
    double size = 0;
    for (size_t k = 0; k < row.size(); ++k) {
      index += pairs(static_cast<double>(row[k]));
      size += row[k];
      class_sizes[k] += row[k];
    }
    cluster_pairs += pairs(size);
  }
  for (double size : class_sizes) class_pairs += pairs(size);
  const double expected = cluster_pairs * class_pairs / pairs(static_cast<double>(clusters.size()));
  const double maximum = (cluster_pairs + class_pairs) / 2;
  if (maximum == expected) return 1.0;  // one group each, or all singletons: identical
  return (index - expected) / (maximum - expected);
}

}  // namespace aelab
