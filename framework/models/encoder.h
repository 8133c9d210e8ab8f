// Encoders map a batch of inputs [N, C, H, W] to codes [N, latent_dim].
#pragma once

#include "framework/core/registry.h"
#include "framework/models/build_context.h"
#include "framework/models/dense_layer.h"

namespace aelab {

/// Base of encoder plugins.
class EncoderImpl : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& input) = 0;
  /// The code, with the feature map of each resolution stage (input side first, at the stage's
  /// full resolution) appended to `stages`, for decoders with skip connections. Encoders
  /// without stages append none.
  virtual torch::Tensor forward_with_stages(const torch::Tensor& input,
                                            std::vector<torch::Tensor>& stages) {
    return forward(input);
  }
  /// Channels of those feature maps, input side first (empty: no stages).
  virtual std::vector<int64_t> stage_channels() const { return {}; }
  /// The encoder as a chain of dense layers on the flattened input; empty when it is not one.
  virtual DenseChain dense_chain() { return {}; }
};

/// Registry of encoder plugins (`encoder.name`).
Registry<EncoderImpl, BuildContext>& encoder_registry();

/// Builds the encoder a config section names.
std::shared_ptr<EncoderImpl> make_encoder(const ConfigNode& section, const BuildContext& context);

}  // namespace aelab
