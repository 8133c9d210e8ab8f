// Cluster accuracy, NMI and ARI against hand-computed cases and label permutations; the
// Hungarian matching; k-means on separated blobs, seeded.
#include "framework/metrics/clustering_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "framework/metrics/kmeans.h"

namespace aelab {
namespace {

TEST(ClusteringMetrics, APermutedClusteringOfTheClassesScoresPerfectly) {
  std::vector<int64_t> classes{0, 0, 1, 1, 2, 2};
  std::vector<int64_t> clusters{2, 2, 0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(cluster_accuracy(clusters, classes), 1.0);
  EXPECT_NEAR(normalized_mutual_information(clusters, classes), 1.0, 1e-12);
  EXPECT_NEAR(adjusted_rand_index(clusters, classes), 1.0, 1e-12);
  EXPECT_EQ(cluster_to_class(clusters, classes), (std::vector<int64_t>{1, 2, 0}));
}

TEST(ClusteringMetrics, HandComputedCase) {
  // Classes  0 0 0 1 1 1; clusters 0 0 1 1 1 1: contingency [[2, 0], [1, 3]].
  std::vector<int64_t> classes{0, 0, 0, 1, 1, 1};
  std::vector<int64_t> clusters{0, 0, 1, 1, 1, 1};
  EXPECT_NEAR(cluster_accuracy(clusters, classes), 5.0 / 6.0, 1e-12);
  // sum C(n_ij, 2) = 1 + 3 = 4; clusters: C(2,2) + C(4,2) = 7; classes: 3 + 3 = 6; C(6,2) = 15.
  // expected = 7 * 6 / 15 = 2.8; max = 6.5; ARI = (4 - 2.8) / (6.5 - 2.8).
  EXPECT_NEAR(adjusted_rand_index(clusters, classes), 1.2 / 3.7, 1e-12);
  // MI = sum p_ij log(p_ij / (p_i p_j)); H(classes) = log 2; H(clusters) = H(1/3, 2/3).
  const double mi = 2.0 / 6 * std::log((2.0 / 6) / (2.0 / 6 * 0.5)) +
                    1.0 / 6 * std::log((1.0 / 6) / (4.0 / 6 * 0.5)) +
                    3.0 / 6 * std::log((3.0 / 6) / (4.0 / 6 * 0.5));
  const double h_clusters = -(1.0 / 3 * std::log(1.0 / 3) + 2.0 / 3 * std::log(2.0 / 3));
  EXPECT_NEAR(normalized_mutual_information(clusters, classes),
              mi / ((h_clusters + std::log(2.0)) / 2), 1e-12);
  // Renaming the clusters changes nothing.
  std::vector<int64_t> renamed{1, 1, 0, 0, 0, 0};
  EXPECT_NEAR(cluster_accuracy(renamed, classes), 5.0 / 6.0, 1e-12);
  EXPECT_NEAR(adjusted_rand_index(renamed, classes), 1.2 / 3.7, 1e-12);
}

TEST(ClusteringMetrics, IndependentPartitionsScoreNearZero) {
  std::vector<int64_t> classes, clusters;
  for (int64_t i = 0; i < 400; ++i) classes.push_back(i % 2), clusters.push_back((i / 2) % 2);
  EXPECT_NEAR(adjusted_rand_index(clusters, classes), 0.0, 0.01);
  EXPECT_NEAR(normalized_mutual_information(clusters, classes), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(cluster_accuracy(clusters, classes), 0.5);
}

TEST(ClusteringMetrics, MatchingMaximizesTheTotalNotTheGreedyPick) {
  // Greedy would match row 0 to column 0 (9) and leave row 1 with 1: 10. Best is 8 + 8 = 16.
  std::vector<std::vector<int64_t>> weights{{9, 8}, {8, 1}};
  EXPECT_EQ(max_weight_matching(weights), (std::vector<int64_t>{1, 0}));
  // More clusters than classes: one cluster is left without a class.
  std::vector<std::vector<int64_t>> tall{{5}, {7}, {1}};
  EXPECT_EQ(max_weight_matching(tall), (std::vector<int64_t>{-1, 0, -1}));
}

TEST(KMeans, FindsSeparatedBlobsTheSameWayForTheSameSeed) {
  torch::manual_seed(3);
  torch::Tensor centres = torch::tensor({{0.0, 0.0}, {10.0, 0.0}, {0.0, 10.0}});
  torch::Tensor labels = torch::arange(300) % 3;
  torch::Tensor points = centres.index_select(0, labels) + 0.5 * torch::randn({300, 2});
  KMeansResult first = kmeans(points, {3, 5, 100, 7});
  std::vector<int64_t> clusters(first.assignment.data_ptr<int64_t>(),
                                first.assignment.data_ptr<int64_t>() + 300);
  std::vector<int64_t> truth(labels.data_ptr<int64_t>(), labels.data_ptr<int64_t>() + 300);
  EXPECT_DOUBLE_EQ(cluster_accuracy(clusters, truth), 1.0);
  EXPECT_LT(first.distance.max().item<double>(), 3.0);
  EXPECT_NEAR(first.inertia, first.distance.pow(2).sum().item<double>(), 1e-6);
  torch::manual_seed(99);  // torch's generator plays no part
  KMeansResult second = kmeans(points, {3, 5, 100, 7});
  EXPECT_TRUE(second.assignment.equal(first.assignment));
  EXPECT_THROW(kmeans(points.slice(0, 0, 2), {3, 1, 10, 0}), std::exception);
}

}  // namespace
}  // namespace aelab
