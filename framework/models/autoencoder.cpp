// The deterministic autoencoder. With linear parts its optimum is PCA's subspace (Baldi and
// Hornik 1989); with MLP parts it is Hinton and Salakhutdinov's 2006 autoencoder trained end to
// end; with conv parts, a convolutional autoencoder.
#include "framework/models/autoencoder.h"

#include "framework/core/error.h"

namespace aelab {

AutoencoderImpl::AutoencoderImpl(LatentOptions options, const BuildContext& context) {
  const ConfigNode decoder_section = context.section("decoder");
  const ConfigNode* skips = decoder_section.is_map() ? decoder_section.get("skips") : nullptr;
  skips_ = skips && skips->kind() == ConfigNode::Kind::kBool && skips->as_bool();
  BuildContext coded = with_latent_dim(context, options.latent_dim);
  std::shared_ptr<DecoderImpl> decoder;
  std::shared_ptr<EncoderImpl> encoder;
  if (skips_) {  // the decoder is built for the encoder's stage maps
    encoder = make_encoder(context.section("encoder"), coded);
    decoder = make_decoder(context.section("decoder"),
                           with_skip_channels(coded, *encoder, "decoder.skips"));
  } else {
    // The decoder draws its initial weights first, so that a seed gives the same autoencoder
    // as in the runs recorded by earlier versions of aelab.
    try {
      decoder = make_decoder(context.section("decoder"), coded);
    } catch (const ConfigError&) {
      // The decoder follows the encoder unless decoder= says otherwise: where the encoder does
      // not fit the data either, its error names what to change.
      make_encoder(context.section("encoder"), coded);
      throw;
    }
    encoder = make_encoder(context.section("encoder"), coded);
  }
  encoder_ = register_module("encoder", encoder);
  decoder_ = register_module("decoder", decoder);
}

ModelOutputs AutoencoderImpl::forward(const torch::Tensor& input) {
  ModelOutputs outputs;
  std::vector<torch::Tensor> stages;
  torch::Tensor code =
      skips_ ? encoder_->forward_with_stages(input, stages) : encoder_->forward(input);
  outputs.set("reconstruction",
              skips_ ? decoder_->forward_with_skips(code, stages) : decoder_->forward(code));
  outputs.set("code", code);
  return outputs;
}

DenseChain AutoencoderImpl::dense_chain() {
  if (skips_) return {};
  DenseChain chain = encoder_->dense_chain();
  const DenseChain decoder = decoder_->dense_chain();
  if (chain.empty() || decoder.empty()) return {};
  chain.insert(chain.end(), decoder.begin(), decoder.end());
  return chain;
}

torch::Tensor AutoencoderImpl::reconstruct(const torch::Tensor& batch) {
  if (skips_) return forward(batch).at("reconstruction");
  return decoder_->forward(encoder_->forward(batch));
}

BuildContext with_skip_channels(const BuildContext& context, const EncoderImpl& encoder,
                                const std::string& key) {
  BuildContext out = context;
  out.skip_channels = encoder.stage_channels();
  if (out.skip_channels.empty())
    throw ConfigError(key + ": encoder '" + context.section("encoder").get("name")->text() +
                      "' has no stages to connect (use encoder=conv, or " + key + "=false)");
  return out;
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
