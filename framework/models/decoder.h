// Decoders map codes [N, latent_dim] back to inputs [N, C, H, W].
#pragma once

#include "framework/core/registry.h"
#include "framework/models/build_context.h"
#include "framework/models/dense_layer.h"

namespace aelab {

/// Base of decoder plugins.
class DecoderImpl : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& code) = 0;
  /// The output with the encoder's stage maps (input side first) joined in at matching
  /// resolutions (U-Net style); decoders built with BuildContext::skip_channels support it.
  virtual torch::Tensor forward_with_skips(const torch::Tensor& code,
                                           const std::vector<torch::Tensor>& skips);
  /// The decoder as a chain of dense layers whose output, reshaped to the input's shape, is the
  /// reconstruction; empty when it is not one.
  virtual DenseChain dense_chain() { return {}; }
};

/// Registry of decoder plugins (`decoder.name`).
Registry<DecoderImpl, BuildContext>& decoder_registry();

/// Builds the decoder a config section names.
std::shared_ptr<DecoderImpl> make_decoder(const ConfigNode& section, const BuildContext& context);

/// ConfigError unless the `decoder:` section ends in a sigmoid: `requirement` (such as
/// `model.likelihood=bernoulli`) needs pixel probabilities; `alternative` is the other fix.
void require_probability_output(const ConfigNode& decoder, const std::string& requirement,
                                const std::string& alternative);

}  // namespace aelab
