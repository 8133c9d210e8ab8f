// VampPrior (Tomczak and Welling 2018): the prior is the encoder's own posterior averaged over K
// learnable pseudo-inputs, p(z) = 1/K sum_k q(z | u_k); its KL is sampled.
#include <cmath>

#include "framework/models/priors/prior.h"

namespace aelab {

/// Options of the VampPrior.
struct VampPriorOptions {
  int64_t components = 500;
  double init_mean = 0.05;
  double init_std = 0.01;
  template <class V>
  void visit(V& v) {
    v("components", components, "number of pseudo-inputs K", AtLeast{1});
    v("init_mean", init_mean, "mean of the pseudo-inputs' random start (pixels in [0, 1])",
      Between{0, 1});
    v("init_std", init_std, "standard deviation of the pseudo-inputs' random start", AtLeast{0});
  }
};

/// Pseudo-inputs u_k (kept in [0, 1] by a hard tanh, as in the paper) fed through the encoder.
class VampPrior : public PriorImpl {
 public:
  VampPrior(VampPriorOptions options, const PriorContext& context)
      : encode_(context.encode), components_(options.components) {
    if (!encode_) throw ConfigError("prior 'vamp' needs a model with an encoder (model.name=vae)");
    std::vector<int64_t> shape{options.components};
    shape.insert(shape.end(), context.input_shape.begin(), context.input_shape.end());
    pseudo_inputs_ = register_parameter("pseudo_inputs",
                                        torch::randn(shape) * options.init_std + options.init_mean);
  }

  torch::Tensor log_prob(const torch::Tensor& z) override {
    Posterior mixture = encode_(torch::hardtanh(pseudo_inputs_, 0.0, 1.0));
    torch::Tensor per_component = log_normal_pairwise(z, mixture.mean, mixture.logvar);
    return torch::logsumexp(per_component, 1) - std::log(static_cast<double>(components_));
  }

  torch::Tensor sample(int64_t count, const torch::Device& device) override {
    torch::NoGradGuard no_grad;
    Posterior mixture = encode_(torch::hardtanh(pseudo_inputs_, 0.0, 1.0));
    torch::Tensor component = torch::randint(
        components_, {count}, torch::TensorOptions().dtype(torch::kLong).device(device));
    torch::Tensor mean = mixture.mean.to(device).index_select(0, component);
    torch::Tensor std = (0.5 * mixture.logvar.to(device).index_select(0, component)).exp();
    return mean + std * torch::randn_like(mean);
  }

 private:
  std::function<Posterior(const torch::Tensor&)> encode_;
  int64_t components_;
  torch::Tensor pseudo_inputs_;
};

AELAB_REGISTER_PLUGIN(prior_registry(), "vamp", VampPrior, VampPriorOptions)
    .describe("VampPrior: encoder posterior mixed over K learnable pseudo-inputs, Monte Carlo KL");

}  // namespace aelab
