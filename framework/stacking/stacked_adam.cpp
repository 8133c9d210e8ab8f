// Stacked Adam: LibTorch's Adam formulas, each variant's slice with its own settings.
#include "framework/stacking/stacked_adam.h"

#include <cmath>

#include "framework/core/error.h"
#include "framework/train/fused_adam.h"

namespace aelab {

StackedAdam::StackedAdam(std::vector<torch::Tensor> parameters,
                         std::vector<VariantAdamSettings> variants, bool decoupled)
    : parameters_(std::move(parameters)), variants_(std::move(variants)), decoupled_(decoupled) {
  for (const auto& v : variants_)
    if (v.beta1 != variants_[0].beta1 || v.beta2 != variants_[0].beta2 || v.eps != variants_[0].eps)
      throw Error("stacked Adam: variants must share betas and eps");
  for (const auto& p : parameters_) {
    exp_avg_.push_back(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
    exp_avg_sq_.push_back(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
  }
  std::vector<double> lr, decay;
  for (const auto& v : variants_) {
    lr.push_back(v.lr);
    decay.push_back(v.weight_decay);
  }
  const torch::Tensor& first = parameters_.front();
  lr_ = torch::tensor(lr, torch::kFloat64).to(first.device(), first.scalar_type());
  weight_decay_ = torch::tensor(decay, torch::kFloat64).to(first.device(), first.scalar_type());
}

void StackedAdam::zero_grad() {
  for (auto& p : parameters_) p.mutable_grad() = torch::Tensor();
}

void StackedAdam::step() {
  torch::NoGradGuard no_grad;
  ++steps_;
  const torch::Tensor& first = parameters_.front();
  if (first.device().is_cpu() && first.scalar_type() == torch::kFloat32)
    step_on_cpu();
  else
    step_with_tensors();
}

void StackedAdam::step_on_cpu() {
  const int64_t count = static_cast<int64_t>(variants_.size());
  for (size_t i = 0; i < parameters_.size(); ++i) {
    torch::Tensor& p = parameters_[i];
    if (!p.grad().defined()) continue;
    // The loop walks the stacked weight, its gradient and its moments as flat arrays.
    TORCH_CHECK(p.is_contiguous(), "StackedAdam: stacked parameters must be contiguous");
    const torch::Tensor grad = p.grad().contiguous();
    const int64_t n = p.numel() / count;
    for (int64_t k = 0; k < count; ++k) {
      const VariantAdamSettings& v = variants_[static_cast<size_t>(k)];
      const AdamStep s =
          adam_step(v.lr, v.weight_decay, v.beta1, v.beta2, v.eps, steps_, decoupled_);
      fused_adam_update(p.data_ptr<float>() + k * n, grad.data_ptr<float>() + k * n,
                        exp_avg_[i].data_ptr<float>() + k * n,
                        exp_avg_sq_[i].data_ptr<float>() + k * n, n, s);
    }
  }
}

void StackedAdam::step_with_tensors() {
  const VariantAdamSettings& shared = variants_.front();
  const double correction1 = 1 - std::pow(shared.beta1, static_cast<double>(steps_));
  const double correction2 = 1 - std::pow(shared.beta2, static_cast<double>(steps_));
  for (size_t i = 0; i < parameters_.size(); ++i) {
    torch::Tensor& p = parameters_[i];
    if (!p.grad().defined()) continue;
    std::vector<int64_t> shape(static_cast<size_t>(p.dim()), 1);
    shape[0] = p.size(0);
    const torch::Tensor lr = lr_.view(shape);
    const torch::Tensor decay = weight_decay_.view(shape);
    torch::Tensor grad = p.grad();
    if (decoupled_)
      p.mul_(1 - lr * decay);
    else
      grad = grad + decay * p;
    exp_avg_[i].mul_(shared.beta1).add_(grad, 1 - shared.beta1);
    exp_avg_sq_[i].mul_(shared.beta2).addcmul_(grad, grad, 1 - shared.beta2);
    const torch::Tensor denom = exp_avg_sq_[i].sqrt() / std::sqrt(correction2) + shared.eps;
    p.sub_(lr / correction1 * exp_avg_[i] / denom);
  }
}

}  // namespace aelab
