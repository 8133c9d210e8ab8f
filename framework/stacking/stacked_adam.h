// Adam or AdamW over stacked parameters [K, ...], each variant k with its own learning rate and
// weight decay, all stepping together. On the CPU it runs the fused update over each variant's
// slice; elsewhere, tensor operations with the per-variant scalars broadcast. A variant's state
// can be handed to an ordinary LibTorch optimizer (checkpoints keep their format).
#pragma once

#include <torch/torch.h>

#include <vector>

namespace aelab {

/// One variant's optimizer settings.
struct VariantAdamSettings {
  double lr = 1e-3, weight_decay = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
};

class StackedAdam {
 public:
  /// `decoupled`: AdamW. Every variant shares beta1, beta2 and eps (Error otherwise).
  StackedAdam(std::vector<torch::Tensor> parameters, std::vector<VariantAdamSettings> variants,
              bool decoupled);

  /// Drops the gradients (backward then writes fresh ones rather than adding to zeros).
  void zero_grad();
  void step();
  int64_t steps() const { return steps_; }
  /// The first and second moments of every parameter, stacked like it.
  const std::vector<torch::Tensor>& exp_avg() const { return exp_avg_; }
  const std::vector<torch::Tensor>& exp_avg_sq() const { return exp_avg_sq_; }

 private:
  void step_on_cpu();
  void step_with_tensors();

  std::vector<torch::Tensor> parameters_, exp_avg_, exp_avg_sq_;
  std::vector<VariantAdamSettings> variants_;
  bool decoupled_;
  int64_t steps_ = 0;
  torch::Tensor lr_, weight_decay_;  ///< [K], of the parameters' device and type
};

}  // namespace aelab
