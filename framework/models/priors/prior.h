// Priors p(z) of variational autoencoders: a log-density, samples, and the KL term of the ELBO
// (analytic where one exists, a one-sample Monte Carlo estimate otherwise).
#pragma once

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <vector>

#include "framework/core/registry.h"

namespace aelab {

/// A diagonal Gaussian q(z|x) per sample: mean and log-variance, both [N, latent_dim].
struct Posterior {
  torch::Tensor mean;
  torch::Tensor logvar;
};

/// What a prior is built with. VampPrior needs the encoder, so the VAE hands it `encode`.
struct PriorContext {
  int64_t latent_dim = 0;
  std::vector<int64_t> input_shape;  ///< one sample, [C, H, W]
  std::function<Posterior(const torch::Tensor& inputs)> encode;
};

/// Base of prior plugins (`prior.name`).
class PriorImpl : public torch::nn::Module {
 public:
  /// log p(z) per row of `z` [N, latent_dim], in nats: [N].
  virtual torch::Tensor log_prob(const torch::Tensor& z) = 0;
  /// `count` draws [count, latent_dim] on `device`.
  virtual torch::Tensor sample(int64_t count, const torch::Device& device) = 0;
  /// KL(q(z|x) || p(z)) per sample [N]. The default is the one-sample Monte Carlo estimate
  /// log q(z|x) - log p(z) at `z`, a draw from q; priors with a closed form override it.
  virtual torch::Tensor kl(const Posterior& posterior, const torch::Tensor& z);
  /// True when kl() is exact rather than sampled.
  virtual bool analytic_kl() const { return false; }
};

/// Registry of prior plugins.
Registry<PriorImpl, PriorContext>& prior_registry();

/// Builds the prior a config section names.
std::shared_ptr<PriorImpl> make_prior(const ConfigNode& section, const PriorContext& context);

/// log N(z; mean, exp(logvar)) summed over the last dimension: [N].
torch::Tensor log_normal_diag(const torch::Tensor& z, const torch::Tensor& mean,
                              const torch::Tensor& logvar);

/// log N(z_n; mean_k, exp(logvar_k)) for every pair: z [N, D] against [K, D] gives [N, K].
/// Expanded into matrix products in float64, so K components cost no [N, K, D] tensor.
torch::Tensor log_normal_pairwise(const torch::Tensor& z, const torch::Tensor& means,
                                  const torch::Tensor& logvars);

/// Options of priors built from K components (mixture of Gaussians, VampPrior).
struct ComponentPriorOptions {
  int64_t components = 10;
  template <class V>
  void visit(V& v) {
    v("components", components, "number of mixture components K", AtLeast{1});
  }
};

}  // namespace aelab
