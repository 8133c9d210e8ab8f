// The deterministic autoencoder (`model.name=ae`): any encoder, any decoder, trained on whatever
// reconstruction objective the experiment chooses. Presets in configs/model/ pick the parts.
#pragma once

#include "framework/models/decoder.h"
#include "framework/models/encoder.h"
#include "framework/models/model.h"

namespace aelab {

/// decoder(encoder(x)) over the `encoder:` and `decoder:` sections; with `decoder.skips`, the
/// decoder also takes the encoder's stage maps (U-Net style), so the code is not the only path
/// (decode() then uses the code alone).
class AutoencoderImpl : public ModelImpl, public Reconstructor, public LatentCodec {
 public:
  AutoencoderImpl(LatentOptions options, const BuildContext& context);
  /// `code` and `reconstruction`.
  ModelOutputs forward(const torch::Tensor& input) override;
  torch::Tensor reconstruct(const torch::Tensor& batch) override;
  torch::Tensor encode(const torch::Tensor& batch) override { return encoder_->forward(batch); }
  torch::Tensor decode(const torch::Tensor& codes) override { return decoder_->forward(codes); }
  /// Whether the decoder also takes the encoder's stage maps (`decoder.skips`).
  EncoderImpl& encoder() { return *encoder_; }
  DecoderImpl& decoder() { return *decoder_; }
  /// The encoder's dense layers followed by the decoder's, input to reconstruction: the whole
  /// model as one chain (what stacked training and the hand-written step take); empty unless both
  /// parts are chains of dense layers and the decoder takes no skip connections.
  DenseChain dense_chain();

 private:
  bool skips_ = false;
  std::shared_ptr<EncoderImpl> encoder_;
  std::shared_ptr<DecoderImpl> decoder_;
};

/// `context` for a decoder that takes the stage maps of `encoder` as skip connections;
/// ConfigError naming `key` (the option that asked for them) when the encoder has no stages.
BuildContext with_skip_channels(const BuildContext& context, const EncoderImpl& encoder,
                                const std::string& key);

/// `context` with the bottleneck size set.
BuildContext with_latent_dim(const BuildContext& context, int64_t latent_dim);

}  // namespace aelab
