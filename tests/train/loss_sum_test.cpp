// An epoch's loss summed on the host has the bits of the float64 tensor sum it replaces.
#include "framework/train/loss_sum.h"

#include <gtest/gtest.h>

namespace aelab {
namespace {

TEST(LossSum, HostSumHasTheBitsOfTheFloat64TensorSum) {
  torch::manual_seed(4);
  const torch::Tensor losses = torch::rand({469}) * 0.1;
  LossSum sum;
  torch::Tensor tensor_sum = torch::zeros({}, torch::kFloat64);
  for (int64_t i = 0; i < losses.size(0); ++i) {
    const int64_t count = i + 1 == losses.size(0) ? 96 : 128;
    sum.add(losses[i], count);
    tensor_sum += losses[i].to(torch::kFloat64) * static_cast<double>(count);
  }
  EXPECT_EQ(sum.total(), tensor_sum.item<double>());
  EXPECT_EQ(LossSum().total(), 0.0);
}

}  // namespace
}  // namespace aelab
