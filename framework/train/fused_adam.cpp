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

/// Whether two dense tensors of one shape hold their elements in the same order in memory: equal
/// strides wherever a dimension has more than one element (a size-1 dimension's stride is never
/// followed; autograd keeps a 1x1 convolution's gradient with other strides there).
bool same_dense_layout(const torch::Tensor& a, const torch::Tensor& b) {
  if (!a.is_non_overlapping_and_dense() || !b.is_non_overlapping_and_dense() ||
      !a.sizes().equals(b.sizes()))
    return false;
  for (int64_t d = 0; d < a.dim(); ++d)
    if (a.size(d) > 1 && a.stride(d) != b.stride(d)) return false;
  return true;
}

/// A copy of `values` in the memory layout of `parameter`, which the fused update walks with it.
torch::Tensor copy_laid_out_like(const torch::Tensor& parameter, const torch::Tensor& values) {
  return torch::empty_like(parameter, torch::MemoryFormat::Preserve).copy_(values);
}

/// `values` in the memory layout of `parameter` (a moment restored from a checkpoint).
torch::Tensor laid_out_like(const torch::Tensor& parameter, const torch::Tensor& values) {
  return same_dense_layout(parameter, values) ? values : copy_laid_out_like(parameter, values);
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
        if (parameter.grad().defined() && !takes_fused_update(parameter))
          return Base::step(closure);
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
        state.exp_avg(laid_out_like(parameter, state.exp_avg()));
        state.exp_avg_sq(laid_out_like(parameter, state.exp_avg_sq()));
        state.step(state.step() + 1);
        const AdamStep step =
            adam_step(options.lr(), options.weight_decay(), std::get<0>(options.betas()),
                      std::get<1>(options.betas()), options.eps(), state.step(), kDecoupled);
        fused_adam_update(parameter.template data_ptr<float>(),
                          parameter.grad().template data_ptr<float>(),
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

/// Puts `State` (Adam's or AdamW's) for `parameter` into `optimizer`'s state map.
template <class State>
void put_state(torch::optim::Optimizer& optimizer, const torch::Tensor& parameter, int64_t step,
               const torch::Tensor& exp_avg, const torch::Tensor& exp_avg_sq) {
  using Key = typename std::decay_t<decltype(optimizer.state())>::key_type;
  auto state = std::make_unique<State>();
  state->step(step);
  state->exp_avg(copy_laid_out_like(parameter, exp_avg));
  state->exp_avg_sq(copy_laid_out_like(parameter, exp_avg_sq));
  optimizer.state()[state_key<Key>(parameter)] = std::move(state);
}

}  // namespace

AdamStep adam_step(double lr, double weight_decay, double beta1, double beta2, double eps,
                   int64_t step, bool decoupled) {
  const double correction1 = 1 - std::pow(beta1, static_cast<double>(step));
  const double correction2 = 1 - std::pow(beta2, static_cast<double>(step));
  return AdamStep{static_cast<float>(beta1),
                  static_cast<float>(beta2),
                  static_cast<float>(eps),
                  static_cast<float>(lr / correction1),
                  static_cast<float>(std::sqrt(correction2)),
                  decoupled ? 0.0f : static_cast<float>(weight_decay),
                  decoupled ? static_cast<float>(1.0 - lr * weight_decay) : 1.0f};
}

namespace {

// One copy of the update per vector width, picked once at load time by the CPU that runs it:
// AVX-512 moves 16 floats an instruction, AVX2 8, SSE 4 (on this machine's 784-64-8 MLP, Adam's
// 101,000 parameters took 19 ms an epoch with AVX2 and 11 ms with AVX-512: square roots and
// divisions, not memory, bound it). Every copy rounds each operation
// as the scalar formula does (no fused multiply-adds: -ffp-contract=off), so all give the same
// bits. The pick needs glibc's load-time resolution (ifunc); elsewhere there is one copy.
#if defined(__x86_64__) && defined(__GNUC__) && defined(__ELF__) && defined(__GLIBC__)
#define AELAB_VECTOR_WIDTHS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define AELAB_VECTOR_WIDTHS
#endif

AELAB_VECTOR_WIDTHS
void adam_update_range(float* __restrict p, const float* __restrict g, float* __restrict m,
                       float* __restrict v, int64_t begin, int64_t end, AdamStep s) {
  // The scalars are copied out of `s` so that no store to p, m or v can alias them.
  const float beta1 = s.beta1, beta2 = s.beta2, eps = s.eps, step_size = s.step_size,
              sqrt_correction2 = s.sqrt_correction2, l2 = s.l2, decay_factor = s.decay_factor;
  const float one_minus_beta1 = 1.0f - beta1, one_minus_beta2 = 1.0f - beta2;
  for (int64_t i = begin; i < end; ++i) {
    const float param = p[i] * decay_factor;
    const float grad = g[i] + l2 * param;
    const float mean = m[i] * beta1 + one_minus_beta1 * grad;
    const float square = v[i] * beta2 + one_minus_beta2 * (grad * grad);
    const float denom = __builtin_sqrtf(square) / sqrt_correction2 + eps;
    m[i] = mean;
    v[i] = square;
    p[i] = param - step_size * (mean / denom);
  }
}
#undef AELAB_VECTOR_WIDTHS  // the unity build may put other files after this one

}  // namespace

void fused_adam_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamStep& s) {
  at::parallel_for(0, n, 16384, [&](int64_t begin, int64_t end) {
    adam_update_range(p, g, m, v, begin, end, s);
  });
}

bool takes_fused_update(const torch::Tensor& parameter) {
  const torch::Tensor& grad = parameter.grad();
  return parameter.device().is_cpu() && parameter.scalar_type() == torch::kFloat32 &&
         grad.scalar_type() == torch::kFloat32 && !grad.is_sparse() &&
         same_dense_layout(parameter, grad);
}

void set_adam_state(torch::optim::Optimizer& optimizer, const torch::Tensor& parameter,
                    int64_t step, const torch::Tensor& exp_avg, const torch::Tensor& exp_avg_sq) {
  if (dynamic_cast<torch::optim::AdamW*>(&optimizer))
    put_state<torch::optim::AdamWParamState>(optimizer, parameter, step, exp_avg, exp_avg_sq);
  else
    put_state<torch::optim::AdamParamState>(optimizer, parameter, step, exp_avg, exp_avg_sq);
}

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
