// The deterministic autoencoder. With linear parts its optimum is PCA's subspace (Baldi and
// Hornik 1989); with MLP parts it is Hinton and Salakhutdinov's 2006 autoencoder trained end to
// end; with conv parts, a convolutional autoencoder.
#include "framework/models/autoencoder.h"

namespace aelab {

AutoencoderImpl::AutoencoderImpl(LatentOptions options, const BuildContext& context) {
  BuildContext coded = with_latent_dim(context, options.latent_dim);
  // The decoder draws its initial weights first: runs trained before model presets existed
  // initialised in this order, and a seed keeps giving the same autoencoder.
  auto decoder = make_decoder(context.section("decoder"), coded);
  auto encoder = make_encoder(context.section("encoder"), coded);
  encoder_ = register_module("encoder", encoder);
  decoder_ = register_module("decoder", decoder);
}

ModelOutputs AutoencoderImpl::forward(const torch::Tensor& input) {
  ModelOutputs outputs;
  torch::Tensor code = encoder_->forward(input);
  outputs.set("reconstruction", decoder_->forward(code));
  outputs.set("code", code);
  return outputs;
}

torch::Tensor AutoencoderImpl::reconstruct(const torch::Tensor& batch) {
  return decoder_->forward(encoder_->forward(batch));
}

BuildContext with_latent_dim(const BuildContext& context, int64_t latent_dim) {
  BuildContext out = context;
  out.latent_dim = latent_dim;
  return out;
}

AELAB_REGISTER_PLUGIN(model_registry(), "ae", AutoencoderImpl, LatentOptions)
    .describe(
        "deterministic autoencoder over the encoder/decoder sections (presets: "
        "model=linear_ae, mlp_ae, conv_ae)");
[[maybe_unused]] static bool ae_declared =
    declare_model("ae", {{"encoder", "decoder"}, ModelTraits{}, nullptr});

}  // namespace aelab
