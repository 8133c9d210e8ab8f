// The Bernoulli log-likelihood's one pass gives the bits of ATen's operations, at one and two
// threads, where it applies; it applies with Debian's LibTorch and libsleef on AVX2 kernels, and
// declines tensors it does not take.
#include "framework/models/bernoulli_log_likelihood.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstring>

#include "framework/train/aten_cpu_kernels.h"

namespace aelab {
namespace {

struct RestoreThreads {
  int threads = torch::get_num_threads();
  ~RestoreThreads() { torch::set_num_threads(threads); }
};

bool bitwise_equal(const torch::Tensor& a, const torch::Tensor& b) {
  return a.sizes().equals(b.sizes()) &&
         std::memcmp(a.data_ptr<float>(), b.data_ptr<float>(), a.numel() * sizeof(float)) == 0;
}

TEST(BernoulliLogLikelihood, AppliesWhereLibTorchLoadsSleefWithItsAvx2KernelsAndDrawsNothing) {
  const torch::Tensor p = torch::rand({3, 5});
  const bool sleef = dlsym(RTLD_DEFAULT, "Sleef_logf8_u10") != nullptr &&
                     dlsym(RTLD_DEFAULT, "Sleef_log1pf8_u10") != nullptr;
  // The first call probes the pass (ctest runs each suite in a process of its own, this test
  // first); the probe must leave the random generator where it was: a run's later draws depend
  // on it.
  const torch::Tensor before = at::detail::getDefaultCPUGenerator().get_state();
  EXPECT_EQ(bernoulli_pass_applies(p, p), sleef && aten_runs_avx2_kernels());
  EXPECT_TRUE(torch::equal(at::detail::getDefaultCPUGenerator().get_state(), before));
}

TEST(BernoulliLogLikelihood, HasAtensBitsAtOneAndTwoThreads) {
  RestoreThreads restore;
  torch::manual_seed(3);
  // Decoded means as the IS-NLL gives them: 2000 draws of 784 pixels, plus an odd shape whose
  // rows end mid-vector, with saturated and tiny means among them.
  for (auto shape : {std::vector<int64_t>{2000, 784}, std::vector<int64_t>{13, 101}}) {
    torch::Tensor means = torch::sigmoid(torch::randn(shape) * 12);
    torch::Tensor x = torch::rand(shape).round_();
    means.view(-1).slice(0, 0, 4).copy_(torch::tensor({0.0f, 1.0f, 1e-45f, 0.99999994f}));
    for (int count : {1, 2}) {
      torch::set_num_threads(count);
      const torch::Tensor ours = bernoulli_log_likelihood(means, x);
      const torch::Tensor theirs = bernoulli_log_likelihood_by_aten(means, x);
      EXPECT_TRUE(bitwise_equal(ours, theirs)) << shape[0] << "x" << shape[1] << ", " << count;
      EXPECT_TRUE(torch::isfinite(ours).all().item<bool>());
    }
  }
}

TEST(BernoulliLogLikelihood, DeclinesWhatItDoesNotTake) {
  const torch::Tensor p = torch::rand({4, 6}), x = torch::rand({4, 6});
  EXPECT_FALSE(bernoulli_pass_applies(p.t(), x.t()));  // not contiguous
  EXPECT_FALSE(bernoulli_pass_applies(p.to(torch::kDouble), x.to(torch::kDouble)));
  EXPECT_FALSE(bernoulli_pass_applies(p, x.slice(1, 0, 5)));
  EXPECT_FALSE(bernoulli_pass_applies(p.clone().requires_grad_(), x));
  // Declined tensors still get the likelihood, through ATen's operations.
  const torch::Tensor twice = bernoulli_log_likelihood(p.t(), x.t());
  EXPECT_TRUE(torch::equal(twice, bernoulli_log_likelihood_by_aten(p.t(), x.t())));
}

}  // namespace
}  // namespace aelab
