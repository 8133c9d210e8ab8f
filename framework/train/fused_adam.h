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

/// Adam (L2 weight decay added to the gradient) over `groups`, fused on the CPU.
std::unique_ptr<torch::optim::Optimizer> make_fused_adam(
    std::vector<torch::optim::OptimizerParamGroup> groups,
    const torch::optim::AdamOptions& defaults);

/// AdamW (decoupled weight decay) over `groups`, fused on the CPU.
std::unique_ptr<torch::optim::Optimizer> make_fused_adamw(
    std::vector<torch::optim::OptimizerParamGroup> groups,
    const torch::optim::AdamWOptions& defaults);

}  // namespace aelab
