// Encoders map a batch of inputs [N, C, H, W] to codes [N, latent_dim].
#pragma once

#include "framework/core/registry.h"
#include "framework/models/build_context.h"

namespace aelab {

/// Base of encoder plugins.
class EncoderImpl : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& input) = 0;
};

/// Registry of encoder plugins (`encoder.name`).
Registry<EncoderImpl, BuildContext>& encoder_registry();

/// Builds the encoder a config section names.
std::shared_ptr<EncoderImpl> make_encoder(const ConfigNode& section, const BuildContext& context);

}  // namespace aelab
