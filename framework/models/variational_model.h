// What likelihood metrics and generation need from a variational model: its posterior q(z|x),
// its likelihood p(x|z) and its prior p(z).
#pragma once

#include "framework/models/model.h"
#include "framework/models/priors/prior.h"

namespace aelab {

/// A latent-variable model with an amortised Gaussian posterior (a VAE).
class VariationalModel : public LatentCodec {
 public:
  /// q(z|x) of a batch.
  virtual Posterior posterior(const torch::Tensor& batch) = 0;
  /// log p(x|z) per sample [N], in nats; `batch` and `codes` have the same N.
  virtual torch::Tensor log_likelihood(const torch::Tensor& batch, const torch::Tensor& codes) = 0;
  /// p(z).
  virtual PriorImpl& prior() = 0;
  /// The training loss of `forward`'s outputs against `target` (the clean batch): the negative
  /// ELBO averaged over the batch, its KL term weighted as the model's options say.
  virtual torch::Tensor negative_elbo(const ModelOutputs& outputs, const torch::Tensor& target) = 0;
};

/// A draw z = mean + exp(logvar / 2) * eps from q(z|x), differentiable in mean and logvar.
torch::Tensor reparameterize(const Posterior& posterior);

}  // namespace aelab
