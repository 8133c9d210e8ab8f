// Autoencoder composite.
#include "framework/models/autoencoder.h"

namespace aelab {

AutoencoderImpl::AutoencoderImpl(std::shared_ptr<EncoderImpl> encoder,
                                 std::shared_ptr<DecoderImpl> decoder)
    : encoder_(register_module("encoder", std::move(encoder))),
      decoder_(register_module("decoder", std::move(decoder))) {}

torch::Tensor AutoencoderImpl::loss(const torch::Tensor& input, const torch::Tensor& target) {
  return torch::mse_loss(reconstruct(input), target);
}

torch::Tensor AutoencoderImpl::reconstruct(const torch::Tensor& batch) {
  return decoder_->forward(encoder_->forward(batch));
}

BuildContext with_latent_dim(const BuildContext& context, int64_t latent_dim) {
  BuildContext out = context;
  out.latent_dim = latent_dim;
  return out;
}

}  // namespace aelab
