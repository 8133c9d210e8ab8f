// Mean squared error and its gradient in one pass, for the hand-written dense step: what
// torch::mse_loss and mse_loss_backward compute, bit for bit, with one read of each tensor.
#pragma once

#include <torch/torch.h>

namespace aelab {

/// Whether fused_mse takes these tensors: float32, contiguous, on the CPU, of one size.
bool fused_mse_applies(const torch::Tensor& reconstruction, const torch::Tensor& target);

/// `buffer` kept when it is a contiguous float32 CPU tensor of `like`'s shape, else made like
/// `like` (a float32 CPU tensor), contiguous.
void fit_scratch(torch::Tensor& buffer, const torch::Tensor& like);

/// torch::mse_loss(reconstruction, target) (the mean), with the gradient loss.backward() gives
/// the reconstruction written into `gradient`; `squares` is scratch, kept by the caller so that
/// no step allocates. Both are (re)made like `reconstruction` when their shape, dtype or device
/// differ, and must not share memory with the inputs.
torch::Tensor fused_mse(const torch::Tensor& reconstruction, const torch::Tensor& target,
                        torch::Tensor& gradient, torch::Tensor& squares);

}  // namespace aelab
