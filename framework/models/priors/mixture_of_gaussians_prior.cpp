// A mixture of K learnable diagonal Gaussians as the prior (as in Dilokthanakul et al. 2016 and
// the MoG baseline of Tomczak and Welling 2018); its KL has no closed form, so it is sampled.
#include "framework/models/priors/prior.h"

namespace aelab {

/// p(z) = sum_k softmax(w)_k N(z; mu_k, exp(logvar_k)), all learnt with the model.
class MixtureOfGaussiansPrior : public PriorImpl {
 public:
  MixtureOfGaussiansPrior(ComponentPriorOptions options, const PriorContext& context)
      : means_(register_parameter("means", torch::randn({options.components, context.latent_dim}))),
        logvars_(
            register_parameter("logvars", torch::zeros({options.components, context.latent_dim}))),
        logits_(register_parameter("logits", torch::zeros({options.components}))) {}

  torch::Tensor log_prob(const torch::Tensor& z) override {
    torch::Tensor per_component = log_normal_pairwise(z, means_, logvars_);
    return torch::logsumexp(per_component + torch::log_softmax(logits_, 0), 1);
  }

  torch::Tensor sample(int64_t count, const torch::Device& device) override {
    torch::NoGradGuard no_grad;
    torch::Tensor component =
        torch::multinomial(torch::softmax(logits_, 0).to(device), count, /*replacement=*/true);
    torch::Tensor mean = means_.to(device).index_select(0, component);
    torch::Tensor std = (0.5 * logvars_.to(device).index_select(0, component)).exp();
    return mean + std * torch::randn_like(mean);
  }

 private:
  torch::Tensor means_, logvars_, logits_;
};

AELAB_REGISTER_PLUGIN(prior_registry(), "mog", MixtureOfGaussiansPrior, ComponentPriorOptions)
    .describe("mixture of K learnable diagonal Gaussians, Monte Carlo KL");

}  // namespace aelab
