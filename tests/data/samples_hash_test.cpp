// The content key of cached results computed from samples (the PCA basis of a training split):
// it changes with any value, the type or the shape, and is the same for the same samples.
#include <gtest/gtest.h>

#include "framework/data/dataset.h"

namespace aelab {
namespace {

TEST(SamplesHash, ChangesWithAnyValueTypeOrShapeAndOnlyThen) {
  torch::manual_seed(0);
  const torch::Tensor images = torch::rand({100, 1, 7, 7});
  const std::string key = samples_hash(images);
  EXPECT_EQ(key.size(), 16u);
  EXPECT_EQ(samples_hash(images.clone()), key);
  EXPECT_EQ(samples_hash(images.transpose(2, 3).contiguous().transpose(2, 3)), key);
  // One value anywhere, the first and the last included (the tail after the 32-byte blocks).
  for (int64_t at : {int64_t{0}, int64_t{2451}, images.numel() - 1}) {
    torch::Tensor changed = images.clone();
    changed.view(-1)[at] += 1.0f / 1024;
    EXPECT_NE(samples_hash(changed), key) << at;
  }
  // Two values swapped: a sum of the values would not see it.
  torch::Tensor swapped = images.clone().view(-1);
  swapped[0] = images.view(-1)[1];
  swapped[1] = images.view(-1)[0];
  EXPECT_NE(samples_hash(swapped.view_as(images)), key);
  EXPECT_NE(samples_hash(images.view({100, 49})), key);
  EXPECT_NE(samples_hash(images.to(torch::kFloat64)), key);
  EXPECT_NE(samples_hash(images.slice(0, 0, 99)), key);
}

TEST(SamplesHash, TheSameOnAnyDevice) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  const torch::Tensor images = torch::rand({10, 1, 5, 5});
  EXPECT_EQ(samples_hash(images.to(torch::kCUDA)), samples_hash(images));
}

}  // namespace
}  // namespace aelab
