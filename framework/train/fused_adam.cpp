// Fused Adam and AdamW: one loop per parameter tensor, split over LibTorch's intra-op threads.
#include "framework/train/fused_adam.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <sstream>
#include <type_traits>

namespace aelab {
namespace {

/// The key of a parameter in an optimizer's state map: LibTorch 1.x keys by the printed address
/// of its TensorImpl, 2.x by the address itself.
template <class Key>
Key state_key(const torch::Tensor& parameter) {
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream printed;
    printed << parameter.unsafeGetTensorImpl();
    return printed.str();
  } else {
    return reinterpret_cast<Key>(parameter.unsafeGetTensorImpl());
  }
}

bool fusable(const torch::Tensor& parameter) {
  const torch::Tensor& grad = parameter.grad();
  return parameter.device().is_cpu() && parameter.scalar_type() == torch::kFloat32 &&
         parameter.is_contiguous() && grad.scalar_type() == torch::kFloat32 &&
         grad.is_contiguous() && !grad.is_sparse();
}

/// The scalars of one update of one tensor.
struct AdamStep {
  float beta1, beta2, eps, step_size, sqrt_correction2, l2, decay_factor;
};

/// p <- p * decay_factor, g' = g + l2 * p, m <- b1 m + (1-b1) g', v <- b2 v + (1-b2) g'^2,
/// p <- p - step_size * m / (sqrt(v) / sqrt(1 - b2^t) + eps): LibTorch's formulas, in one pass.
void update(float* p, const float* g, float* m, float* v, int64_t n, const AdamStep& s) {
  at::parallel_for(0, n, 16384, [&](int64_t begin, int64_t end) {
    const float one_minus_beta1 = 1.0f - s.beta1, one_minus_beta2 = 1.0f - s.beta2;
    for (int64_t i = begin; i < end; ++i) {
      float param = p[i] * s.decay_factor;
      const float grad = g[i] + s.l2 * param;
      const float mean = m[i] * s.beta1 + one_minus_beta1 * grad;
      const float square = v[i] * s.beta2 + one_minus_beta2 * (grad * grad);
      const float denom = __builtin_sqrtf(square) / s.sqrt_correction2 + s.eps;
      m[i] = mean;
      v[i] = square;
      p[i] = param - s.step_size * (mean / denom);
    }
  });
}

/// `Base` (torch::optim::Adam or AdamW) whose step runs the fused update where it can.
template <class Base, class Options, class State, bool kDecoupled>
class Fused : public Base {
 public:
  using Base::Base;

  torch::Tensor step(torch::optim::Optimizer::LossClosure closure = nullptr) override {
    for (auto& group : this->param_groups_) {
      if (static_cast<Options&>(group.options()).amsgrad()) return Base::step(closure);
      for (auto& parameter : group.params())
        if (parameter.grad().defined() && !fusable(parameter)) return Base::step(closure);
    }
    torch::NoGradGuard no_grad;
    torch::Tensor loss;
    if (closure) {
      at::AutoGradMode enable_grad(true);
      loss = closure();
    }
    using Key = typename std::decay_t<decltype(this->state_)>::key_type;
    for (auto& group : this->param_groups_) {
      auto& options = static_cast<Options&>(group.options());
      for (auto& parameter : group.params()) {
        if (!parameter.grad().defined()) continue;
        const Key key = state_key<Key>(parameter);
        auto found = this->state_.find(key);
        if (found == this->state_.end()) {
          auto state = std::make_unique<State>();
          state->step(0);
          state->exp_avg(torch::zeros_like(parameter, torch::MemoryFormat::Preserve));
          state->exp_avg_sq(torch::zeros_like(parameter, torch::MemoryFormat::Preserve));
          found = this->state_.emplace(key, std::move(state)).first;
        }
        auto& state = static_cast<State&>(*found->second);
        state.step(state.step() + 1);
        const double beta1 = std::get<0>(options.betas()), beta2 = std::get<1>(options.betas());
        const double correction1 = 1 - std::pow(beta1, static_cast<double>(state.step()));
        const double correction2 = 1 - std::pow(beta2, static_cast<double>(state.step()));
        const double decay = options.weight_decay();
        AdamStep step{static_cast<float>(beta1),
                      static_cast<float>(beta2),
                      static_cast<float>(options.eps()),
                      static_cast<float>(options.lr() / correction1),
                      static_cast<float>(std::sqrt(correction2)),
                      kDecoupled ? 0.0f : static_cast<float>(decay),
                      kDecoupled ? static_cast<float>(1.0 - options.lr() * decay) : 1.0f};
        update(parameter.template data_ptr<float>(), parameter.grad().template data_ptr<float>(),
               state.exp_avg().template data_ptr<float>(),
               state.exp_avg_sq().template data_ptr<float>(), parameter.numel(), step);
      }
    }
    return loss;
  }
};

using FusedAdam =
    Fused<torch::optim::Adam, torch::optim::AdamOptions, torch::optim::AdamParamState, false>;
using FusedAdamW =
    Fused<torch::optim::AdamW, torch::optim::AdamWOptions, torch::optim::AdamWParamState, true>;

}  // namespace

std::unique_ptr<torch::optim::Optimizer> make_fused_adam(
    std::vector<torch::optim::OptimizerParamGroup> groups,
    const torch::optim::AdamOptions& defaults) {
  return std::make_unique<FusedAdam>(std::move(groups), defaults);
}

std::unique_ptr<torch::optim::Optimizer> make_fused_adamw(
    std::vector<torch::optim::OptimizerParamGroup> groups,
    const torch::optim::AdamWOptions& defaults) {
  return std::make_unique<FusedAdamW>(std::move(groups), defaults);
}

}  // namespace aelab
