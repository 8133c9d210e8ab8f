// Reconstruction metrics: the one-pass float64 sum of squared errors against the tensor
// expression it replaces, the same bits at any thread count, reconstructions not laid out row by
// row, and the path for tensors it does not take (another shape, float64).
#include "framework/metrics/reconstruction_metrics.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

namespace aelab {
namespace {

/// A reconstruction function that answers the batches, which come in order, with the next rows
/// of `reconstruction`.
std::function<torch::Tensor(const torch::Tensor&)> rows_of(const torch::Tensor& reconstruction) {
  auto next = std::make_shared<int64_t>(0);
  return [reconstruction, next](const torch::Tensor& batch) {
    torch::Tensor rows = reconstruction.slice(0, *next, *next + batch.size(0));
    *next += batch.size(0);
    return rows;
  };
}

/// The metrics of reconstructing `x` as `reconstruction`, in batches of 700: not a divisor of
/// the row count, so the last batch is short.
std::map<std::string, double> metrics_of(const torch::Tensor& reconstruction,
                                         const torch::Tensor& x) {
  return reconstruction_metrics(rows_of(reconstruction), x, 700);
}

TEST(ReconstructionMetrics, EqualTheFloat64TensorExpression) {
  torch::manual_seed(3);
  const torch::Tensor x = torch::rand({2501, 1, 28, 28});
  const torch::Tensor reconstruction = (x + 0.1 * torch::randn_like(x)).clamp(0, 1);
  const double expected =
      (reconstruction - x).to(torch::kFloat64).pow(2).sum().item<double>() / 2501;
  const auto metrics = metrics_of(reconstruction, x);
  EXPECT_NEAR(metrics.at("sse"), expected, 1e-12 * expected);
  EXPECT_NEAR(metrics.at("mse"), expected / 784, 1e-12 * expected / 784);
  EXPECT_NEAR(metrics.at("psnr"), 10 * std::log10(784 / expected), 1e-9);
}

TEST(ReconstructionMetrics, SameBitsAtAnyThreadCount) {
  torch::manual_seed(4);
  const torch::Tensor x = torch::rand({3000, 784});
  const torch::Tensor reconstruction = torch::rand({3000, 784});
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  ASSERT_EQ(at::get_num_threads(), 1) << "the intra-op threads could not be set";
  const double one = metrics_of(reconstruction, x).at("sse");
  at::set_num_threads(2);
  ASSERT_EQ(at::get_num_threads(), 2) << "the intra-op threads could not be set";
  const double two = metrics_of(reconstruction, x).at("sse");
  at::set_num_threads(threads);
  EXPECT_EQ(one, two);
}

TEST(ReconstructionMetrics, NonContiguousReconstructions) {
  torch::manual_seed(6);
  const torch::Tensor x = torch::rand({900, 784});
  // Rows of a transposed tensor: the same values, not laid out row by row.
  const torch::Tensor transposed = torch::rand({784, 900}).t();
  ASSERT_FALSE(transposed.is_contiguous());
  const double expected = (transposed - x).to(torch::kFloat64).pow(2).sum().item<double>() / 900;
  EXPECT_NEAR(metrics_of(transposed, x).at("sse"), expected, 1e-12 * expected);
}

TEST(ReconstructionMetrics, OtherShapesAndTypesTakeTheTensorExpression) {
  torch::manual_seed(5);
  const torch::Tensor x = torch::rand({100, 784}, torch::kFloat64);
  const torch::Tensor flat = torch::rand({100, 784}, torch::kFloat64);
  const double expected = (flat - x).pow(2).sum().item<double>() / 100;
  EXPECT_NEAR(reconstruction_metrics(rows_of(flat), x, 30).at("sse"), expected, 1e-12 * expected);
  // A reconstruction of another shape whose rows broadcast against the images.
  const torch::Tensor images = torch::rand({10, 1, 4, 4});
  auto mean_image = [](const torch::Tensor&) { return torch::full({1, 4, 4}, 0.5); };
  const double broadcast = (images - 0.5).to(torch::kFloat64).pow(2).sum().item<double>() / 10;
  EXPECT_NEAR(reconstruction_metrics(mean_image, images, 4).at("sse"), broadcast,
              1e-12 * broadcast);
}

}  // namespace
}  // namespace aelab
