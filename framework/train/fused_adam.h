// Adam and AdamW with the update of each parameter in one pass over memory. LibTorch's step runs
// six elementwise operations per parameter tensor, each a pass over it: on the CPU that was a
// third of an MLP autoencoder's epoch. The state (step, exp_avg, exp_avg_sq) is LibTorch's own,
// so checkpoints keep their format; parameters off the CPU take LibTorch's step.
#pragma once

#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>

#include <memory>
#include <vector>

namespace aelab {

/// The scalars of one Adam update of one tensor.
struct AdamStep {
  float beta1, beta2, eps, step_size, sqrt_correction2, l2, decay_factor;
};

/// The scalars of update number `step` (1-based) with these settings; `decoupled`: AdamW.
AdamStep adam_step(double lr, double weight_decay, double beta1, double beta2, double eps,
                   int64_t step, bool decoupled);

/// p <- p * decay_factor, g' = g + l2 * p, m <- b1 m + (1-b1) g', v <- b2 v + (1-b2) g'^2,
/// p <- p - step_size * m / (sqrt(v) / sqrt(1 - b2^t) + eps): LibTorch's formulas in one pass
/// over `n` floats, split over the intra-op threads. The four arrays must not overlap.
void fused_adam_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamStep& s);

/// Whether `parameter` with its current gradient takes the fused update: float32 on the CPU, it
/// and its gradient dense in one memory order (contiguous, or channels-last for convolution
/// weights). One parameter that does not sends the optimizer's whole step to LibTorch's.
bool takes_fused_update(const torch::Tensor& parameter);

/// Sets the state an Adam or AdamW `optimizer` keeps for `parameter` (which it optimizes), as
/// LibTorch's own step would have left it after `step` updates.
void set_adam_state(torch::optim::Optimizer& optimizer, const torch::Tensor& parameter,
                    int64_t step, const torch::Tensor& exp_avg, const torch::Tensor& exp_avg_sq);

/// Adam (L2 weight decay added to the gradient) over `groups`, fused on the CPU.
std::unique_ptr<torch::optim::Optimizer> make_fused_adam(
    std::vector<torch::optim::OptimizerParamGroup> groups,
    const torch::optim::AdamOptions& defaults);

/// AdamW (decoupled weight decay) over `groups`, fused on the CPU.
std::unique_ptr<torch::optim::Optimizer> make_fused_adamw(
    std::vector<torch::optim::OptimizerParamGroup> groups,
    const torch::optim::AdamWOptions& defaults);

}  // namespace aelab
