// The one-pass sigmoid and mean squared error gives what ATen's sigmoid, mse_loss,
// mse_loss_backward and sigmoid_backward give, bit for bit, at one and two threads; it applies on
// a LibTorch that loads libsleef (Debian's) and declines the tensors it does not take.
#include "framework/train/fused_sigmoid_mse.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "framework/train/aten_cpu_kernels.h"

namespace aelab {
namespace {

struct RestoreThreads {
  int threads = torch::get_num_threads();
  ~RestoreThreads() { torch::set_num_threads(threads); }
};

/// Logits across the sigmoid's range, large and extreme ones included, of an odd size (ATen's
/// tail and its split over two threads fall mid-vector).
torch::Tensor logits(int64_t n) {
  torch::manual_seed(5);
  torch::Tensor z = torch::randn({n}).mul_(6);
  z.slice(0, 0, 4).copy_(torch::tensor({95.0f, -95.0f, 0.0f, -0.0f}));
  return z;
}

bool bitwise_equal(const torch::Tensor& a, const torch::Tensor& b) {
  return a.sizes().equals(b.sizes()) &&
         std::memcmp(a.data_ptr<float>(), b.data_ptr<float>(), a.numel() * sizeof(float)) == 0;
}

TEST(FusedSigmoidMse, AppliesWhereLibTorchLoadsSleefWithItsAvx2Kernels) {
  const torch::Tensor x = torch::rand({4, 5});
  const bool sleef = dlsym(RTLD_DEFAULT, "Sleef_expf8_u10") != nullptr;
  EXPECT_EQ(fused_sigmoid_mse_applies(x, x), sleef && aten_runs_avx2_kernels());
}

/// SLEEF's 16-wide exponential of `x[0..16)` against its 8-wide one, bit for bit.
__attribute__((target("avx512f"))) bool same_exponentials(const float* x, void* exp16, void* exp8) {
  auto wide = reinterpret_cast<__m512 (*)(__m512)>(exp16);
  auto narrow = reinterpret_cast<__m256 (*)(__m256)>(exp8);
  float by16[16], by8[16];
  _mm512_storeu_ps(by16, wide(_mm512_loadu_ps(x)));
  _mm256_storeu_ps(by8, narrow(_mm256_loadu_ps(x)));
  _mm256_storeu_ps(by8 + 8, narrow(_mm256_loadu_ps(x + 8)));
  for (int i = 0; i < 16; ++i)
    if (std::memcmp(&by16[i], &by8[i], sizeof(float)) != 0 &&
        !(by16[i] != by16[i] && by8[i] != by8[i]))
      return false;  // NaNs may differ in payload only
  return true;
}

// The AVX-512 pass rests on this: the 16-wide exponential gives the 8-wide one's bits. Checked
// here on every 251st float bit pattern (all 2^32 were checked once, outside the tests).
TEST(FusedSigmoidMse, SleefsSixteenWideExponentialHasTheEightWideBits) {
  void* exp16 = dlsym(RTLD_DEFAULT, "Sleef_expf16_u10avx512f");
  void* exp8 = dlsym(RTLD_DEFAULT, "Sleef_expf8_u10");
  if (!exp16 || !exp8 || !__builtin_cpu_supports("avx512f"))
    GTEST_SKIP() << "no 16-wide SLEEF exponential here: the pass takes 8 at a time";
  float x[16];
  int64_t differing = 0;
  for (uint64_t pattern = 0; pattern < (uint64_t{1} << 32); pattern += 16 * 251) {
    for (int i = 0; i < 16; ++i) {
      const auto bits = static_cast<uint32_t>(pattern + static_cast<uint64_t>(i) * 251);
      std::memcpy(&x[i], &bits, sizeof(float));
    }
    if (!same_exponentials(x, exp16, exp8)) ++differing;
  }
  EXPECT_EQ(differing, 0);
}

TEST(FusedSigmoidMse, SigmoidHasAtensBitsAtOneAndTwoThreads) {
  RestoreThreads restore;
  const torch::Tensor z = logits(100003);
  for (int count : {1, 2}) {
    torch::set_num_threads(count);
    torch::Tensor ours = z.clone();
    if (!pass_sigmoid_in_place(ours)) {  // no pass here: nothing written, nothing applies
      EXPECT_TRUE(bitwise_equal(ours, z));
      EXPECT_FALSE(fused_sigmoid_mse_applies(z, z));
      continue;
    }
    EXPECT_TRUE(bitwise_equal(ours, torch::sigmoid(z))) << count << " threads";
  }
}

TEST(FusedSigmoidMse, LossAndGradientAreAtensBitForBit) {
  RestoreThreads restore;
  for (int count : {1, 2}) {
    torch::set_num_threads(count);
    const torch::Tensor z = logits(7 * 14287).view({7, 14287});
    const torch::Tensor target = torch::rand({7, 14287});
    if (!fused_sigmoid_mse_applies(z, target)) continue;  // covered by the test above
    const torch::Tensor y = torch::sigmoid(z);
    const torch::Tensor expected_loss = torch::mse_loss(y, target);
    const torch::Tensor expected_grad = at::sigmoid_backward(
        at::mse_loss_backward(torch::ones({}), y, target, at::Reduction::Mean), y);
    torch::Tensor ours = z.clone(), gradient, squares;
    const torch::Tensor loss = fused_sigmoid_mse(ours, target, gradient, squares);
    EXPECT_TRUE(bitwise_equal(ours, y)) << count;
    EXPECT_TRUE(torch::equal(loss, expected_loss)) << count;
    EXPECT_TRUE(bitwise_equal(gradient, expected_grad)) << count;
    const void* kept = gradient.data_ptr();
    ours = z.clone();
    fused_sigmoid_mse(ours, target, gradient, squares);
    EXPECT_EQ(gradient.data_ptr(), kept);
  }
}

TEST(FusedSigmoidMse, TakesContiguousFloat32CpuTensorsOfOneSizeOnly) {
  const torch::Tensor x = torch::rand({4, 5});
  if (!fused_sigmoid_mse_applies(x, x)) GTEST_SKIP() << "no SLEEF pass in this process";
  EXPECT_FALSE(fused_sigmoid_mse_applies(x.t(), x.t()));
  EXPECT_FALSE(fused_sigmoid_mse_applies(x.to(torch::kFloat64), x.to(torch::kFloat64)));
  EXPECT_FALSE(fused_sigmoid_mse_applies(x, torch::rand({5, 4})));
}

}  // namespace
}  // namespace aelab
