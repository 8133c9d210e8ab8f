// The standard normal prior N(0, I) of Kingma and Welling 2014, with its closed-form KL.
#include <cmath>

#include "framework/models/priors/prior.h"

namespace aelab {

/// The standard normal prior has no options.
struct StandardNormalPriorOptions {
  template <class V>
  void visit(V&) {}
};

/// p(z) = N(0, I).
class StandardNormalPrior : public PriorImpl {
 public:
  StandardNormalPrior(StandardNormalPriorOptions, const PriorContext& context)
      : latent_dim_(context.latent_dim) {}

  torch::Tensor log_prob(const torch::Tensor& z) override {
    return log_normal_diag(z, torch::zeros_like(z), torch::zeros_like(z));
  }

  torch::Tensor sample(int64_t count, const torch::Device& device) override {
    return torch::randn({count, latent_dim_}, torch::TensorOptions().device(device));
  }

  /// KL(N(m, s^2) || N(0, 1)) = 1/2 sum(m^2 + s^2 - 1 - log s^2).
  torch::Tensor kl(const Posterior& posterior, const torch::Tensor&) override {
    return 0.5 * (posterior.mean.pow(2) + posterior.logvar.exp() - 1.0 - posterior.logvar).sum(-1);
  }
  bool analytic_kl() const override { return true; }

 private:
  int64_t latent_dim_;
};

AELAB_REGISTER_PLUGIN(prior_registry(), "normal", StandardNormalPrior, StandardNormalPriorOptions)
    .describe("standard normal N(0, I), analytic KL (Kingma and Welling 2014)");

}  // namespace aelab
