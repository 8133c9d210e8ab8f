// A decoder's closing sigmoid, the mean squared error against the target, and the gradient taken
// back through the sigmoid, in one pass: what at::sigmoid_out, mse_loss, mse_loss_backward and
// sigmoid_backward compute, bit for bit, where this process can prove it (see applies()).
// ATen's sigmoid uses SLEEF's vector exponential on whole vectors and the C library's on the
// rest of each thread's range; the pass calls the same SLEEF exponential, found in the loaded
// libsleef (its 16-wide AVX-512 form where the CPU has it: the same bits), over the same ranges.
// Where it is not found (a LibTorch that links SLEEF into itself) or ATen's kernels are not its
// AVX2 ones, the caller keeps ATen's operations.
#pragma once

#include <torch/torch.h>

namespace aelab {

/// Whether fused_sigmoid_mse gives ATen's bits for these tensors: float32, contiguous, on the
/// CPU, of one size, and this process's ATen sigmoid matched the pass's on a probe (run once).
bool fused_sigmoid_mse_applies(const torch::Tensor& logits, const torch::Tensor& target);

/// Overwrites `logits` (its elements: a view will do) with y = sigmoid(logits); returns
/// torch::mse_loss(y, target) and writes into `gradient` the loss's gradient with respect to the
/// logits, as autograd gives it:
/// ((2/n) * (y - target)) * (1 - y) * y. `squares` is scratch kept by the caller; both are
/// (re)made like `logits` when they do not fit. Call only where fused_sigmoid_mse_applies().
torch::Tensor fused_sigmoid_mse(const torch::Tensor& logits, const torch::Tensor& target,
                                torch::Tensor& gradient, torch::Tensor& squares);

/// ATen's sigmoid, as the pass computes it, into `values` in place (for the probe and tests);
/// false, with `values` untouched, where the pass is not available in this process.
bool pass_sigmoid_in_place(torch::Tensor& values);

}  // namespace aelab
