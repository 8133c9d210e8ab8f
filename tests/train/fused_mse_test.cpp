// The one-pass mean squared error gives ATen's loss and gradient bit for bit, at any thread
// count, and says which tensors it takes.
#include "framework/train/fused_mse.h"

#include <gtest/gtest.h>

namespace aelab {
namespace {

TEST(FusedMse, GivesAtensLossAndGradientBitForBitAtOneAndTwoThreads) {
  torch::manual_seed(3);
  // An odd size (not a multiple of any vector width) split over threads at 2.
  const torch::Tensor reconstruction = torch::rand({100003});
  const torch::Tensor target = torch::rand({100003});
  // ATen splits the mean over its threads, so each count is compared with ATen at that count.
  struct RestoreThreads {
    int threads = torch::get_num_threads();
    ~RestoreThreads() { torch::set_num_threads(threads); }
  } restore;
  for (int count : {1, 2}) {
    torch::set_num_threads(count);
    ASSERT_EQ(torch::get_num_threads(), count);
    const torch::Tensor expected_loss = torch::mse_loss(reconstruction, target);
    const torch::Tensor expected_grad =
        at::mse_loss_backward(torch::ones({}), reconstruction, target, at::Reduction::Mean);
    torch::Tensor gradient, squares;
    const torch::Tensor loss = fused_mse(reconstruction, target, gradient, squares);
    EXPECT_TRUE(torch::equal(loss, expected_loss)) << count;
    EXPECT_TRUE(torch::equal(gradient, expected_grad)) << count;
  }
}

TEST(FusedMse, ReusesItsBuffersAndReshapesThemWhenTheBatchChanges) {
  torch::Tensor gradient, squares;
  const torch::Tensor a = torch::rand({32, 1, 6, 6}), b = torch::rand({32, 1, 6, 6});
  fused_mse(a, b, gradient, squares);
  const void* kept = gradient.data_ptr();
  fused_mse(a, b, gradient, squares);
  EXPECT_EQ(gradient.data_ptr(), kept);
  const torch::Tensor c = torch::rand({7, 1, 6, 6}), d = torch::rand({7, 1, 6, 6});
  EXPECT_TRUE(torch::equal(fused_mse(c, d, gradient, squares), torch::mse_loss(c, d)));
  EXPECT_EQ(gradient.sizes(), c.sizes());
}

TEST(FusedMse, TakesContiguousFloat32CpuTensorsOfOneSizeOnly) {
  const torch::Tensor x = torch::rand({4, 5});
  EXPECT_TRUE(fused_mse_applies(x, x));
  EXPECT_FALSE(fused_mse_applies(x.t(), x.t()));
  EXPECT_FALSE(fused_mse_applies(x.to(torch::kFloat64), x.to(torch::kFloat64)));
  EXPECT_FALSE(fused_mse_applies(x, torch::rand({5, 4})));
}

}  // namespace
}  // namespace aelab
