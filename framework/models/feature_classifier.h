// A classifier head on features: the latent codes of an autoencoder's encoder (the mean, for a
// VAE), or fixed features given as the inputs themselves (raw pixels, PCA codes). The transfer
// experiment freezes the autoencoder (`autoencoder` module) to train the head alone, then
// fine-tunes both.
#pragma once

#include <memory>
#include <vector>

#include "framework/models/model.h"

namespace aelab {

/// logits = head(features); features = encode(x) of the autoencoder, or x flattened.
class FeatureClassifierImpl : public ModelImpl {
 public:
  /// A head of `hidden` ReLU layers and a linear output over `classes`, on the codes of
  /// `autoencoder` (which must be a LatentCodec with `features` code units), or on inputs of
  /// `features` values when `autoencoder` is null.
  FeatureClassifierImpl(std::shared_ptr<ModelImpl> autoencoder, int64_t features,
                        const std::vector<int64_t>& hidden, int64_t classes);
  /// `code` (the features) and `logits`.
  ModelOutputs forward(const torch::Tensor& input) override;
  /// Class logits [N, K].
  torch::Tensor logits(const torch::Tensor& input) { return forward(input).at("logits"); }
  /// The autoencoder, null for fixed features.
  ModelImpl* autoencoder() const { return autoencoder_.get(); }

 private:
  std::shared_ptr<ModelImpl> autoencoder_;
  torch::nn::Sequential head_{nullptr};
};

}  // namespace aelab
