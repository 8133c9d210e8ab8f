// The deterministic autoencoder: an encoder and a decoder trained on mean squared error.
#pragma once

#include "framework/models/decoder.h"
#include "framework/models/encoder.h"
#include "framework/models/model.h"

namespace aelab {

/// decoder(encoder(x)), trained to reproduce x under mean squared error.
class AutoencoderImpl : public ModelImpl, public LatentCodec {
 public:
  AutoencoderImpl(std::shared_ptr<EncoderImpl> encoder, std::shared_ptr<DecoderImpl> decoder);
  torch::Tensor loss(const torch::Tensor& input, const torch::Tensor& target) override;
  torch::Tensor reconstruct(const torch::Tensor& batch) override;
  torch::Tensor encode(const torch::Tensor& batch) override { return encoder_->forward(batch); }
  torch::Tensor decode(const torch::Tensor& codes) override { return decoder_->forward(codes); }

 private:
  std::shared_ptr<EncoderImpl> encoder_;
  std::shared_ptr<DecoderImpl> decoder_;
};

/// `context` with the bottleneck size set.
BuildContext with_latent_dim(const BuildContext& context, int64_t latent_dim);

}  // namespace aelab
