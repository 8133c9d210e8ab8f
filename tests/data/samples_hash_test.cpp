// The content key of cached results computed from samples (the PCA basis of a training split):
// it changes with any value, the type or the shape, and is the same for the same samples.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "framework/core/hashing.h"
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

TEST(ContentHash64, EveryByteCountsAndTheLengthToo) {
  const std::string zeros(100, '\0');
  EXPECT_NE(content_hash64(zeros.data(), 99), content_hash64(zeros.data(), 100));
  EXPECT_NE(content_hash64(zeros.data(), 0), content_hash64(zeros.data(), 1));
  for (size_t at = 0; at < 100; ++at) {
    std::string one = zeros;
    one[at] = 1;
    EXPECT_NE(content_hash64(one.data(), 100), content_hash64(zeros.data(), 100)) << at;
  }
  // Stable across platforms and versions, so cache files keep their names: 32 bytes through the
  // lanes and 7 after them, against the value this code gave when it was written.
  const std::string text = "aelab content hash, 40 bytes long......";
  EXPECT_EQ(hex_digits(content_hash64(text.data(), text.size())), "6473a0af3ea5246a");
}

TEST(SamplesHash, KeysATrainingSplitInTensOfMilliseconds) {
  // Fashion-MNIST's 54,000 training images as float32 (a report, not a timing assertion).
  const torch::Tensor images = torch::rand({54000, 1, 28, 28});
  const auto start = std::chrono::steady_clock::now();
  const std::string key = samples_hash(images);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("samples_hash of %.0f MB: %.1f ms\n", images.nbytes() / 1e6, ms);
  EXPECT_EQ(key.size(), 16u);
}

}  // namespace
}  // namespace aelab
