// The Bernoulli decoder's log-likelihood in evaluation, log p(x|z) per sample: the sum over
// pixels of x log p + (1 - x) log(1 - p), each log clamped at -100 as binary_cross_entropy does.
// On the CPU it goes in one pass through the SLEEF log and log1p that ATen's AVX2 kernels call
// on every element, with the bits of ATen's operations (a probe checks them once per process);
// elsewhere, and where the pass is not available, ATen's operations compute it.
#pragma once

#include <torch/torch.h>

namespace aelab {

/// log p(x | means) per row of `means` [N, D] and `x` [N, D]; no gradient.
torch::Tensor bernoulli_log_likelihood(const torch::Tensor& means, const torch::Tensor& x);

/// The same through ATen's operations alone (the pass's reference).
torch::Tensor bernoulli_log_likelihood_by_aten(const torch::Tensor& means, const torch::Tensor& x);

/// Whether the one-pass form applies to these tensors in this process.
bool bernoulli_pass_applies(const torch::Tensor& means, const torch::Tensor& x);

}  // namespace aelab
