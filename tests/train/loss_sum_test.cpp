// An epoch's loss summed on the host has the bits of the float64 tensor sum it replaces; a
// stack's K losses a step sum as K scalar sums would.
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

TEST(LossSum, EachVariantsLossesSumOnTheirOwn) {
  torch::manual_seed(5);
  const torch::Tensor losses = torch::rand({40, 3});
  LossSum sum;
  std::vector<LossSum> alone(3);
  for (int64_t i = 0; i < losses.size(0); ++i) {
    sum.add(losses[i], 128);
    for (int64_t k = 0; k < 3; ++k) alone[k].add(losses[i][k], 128);
  }
  const std::vector<double> totals = sum.totals();
  ASSERT_EQ(totals.size(), 3u);
  for (int64_t k = 0; k < 3; ++k) EXPECT_EQ(totals[k], alone[k].total()) << "variant " << k;
  EXPECT_THROW(sum.add(losses[0].slice(0, 0, 2), 128), std::invalid_argument);
  EXPECT_TRUE(LossSum().totals().empty());
}

}  // namespace
}  // namespace aelab
