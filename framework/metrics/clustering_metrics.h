// How well a clustering matches the classes: cluster accuracy under the best one-to-one matching
// of clusters to classes (Hungarian method, Kuhn 1955), normalized mutual information (arithmetic
// normalization, scikit-learn's default) and the adjusted Rand index (Hubert and Arabie 1985).
#pragma once

#include <cstdint>
#include <vector>

namespace aelab {

/// counts[c][k]: samples of cluster c with class k; clusters and classes are 0-based indices.
std::vector<std::vector<int64_t>> contingency_table(const std::vector<int64_t>& clusters,
                                                    const std::vector<int64_t>& classes);

/// The assignment of rows to columns that maximizes the summed weight; result[row] is the
/// column, or -1 for a row left without one (more rows than columns).
std::vector<int64_t> max_weight_matching(const std::vector<std::vector<int64_t>>& weights);

/// For each cluster, the class it stands for under the matching that maximizes the samples
/// labelled right (-1 for a cluster left over when there are more clusters than classes).
std::vector<int64_t> cluster_to_class(const std::vector<int64_t>& clusters,
                                      const std::vector<int64_t>& classes);

/// Share of samples whose cluster's matched class is their class.
double cluster_accuracy(const std::vector<int64_t>& clusters, const std::vector<int64_t>& classes);

/// I(clusters; classes) / mean(H(clusters), H(classes)); 1 when both are one group.
double normalized_mutual_information(const std::vector<int64_t>& clusters,
                                     const std::vector<int64_t>& classes);

/// The Rand index adjusted for chance: 1 for identical partitions, about 0 for independent ones.
double adjusted_rand_index(const std::vector<int64_t>& clusters,
                           const std::vector<int64_t>& classes);

}  // namespace aelab
