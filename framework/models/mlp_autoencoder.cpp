// The `mlp` model family: an autoencoder over the `encoder:` and `decoder:` sections (MLP by
// default), as in Hinton and Salakhutdinov 2006 but trained end to end with Adam.
#include "framework/models/autoencoder.h"

namespace aelab {

/// Autoencoder built from the configured encoder and decoder plugins.
class MlpAutoencoder : public AutoencoderImpl {
 public:
  MlpAutoencoder(LatentOptions options, const BuildContext& context)
      : AutoencoderImpl(
            make_encoder(context.encoder_section, with_latent_dim(context, options.latent_dim)),
            make_decoder(context.decoder_section, with_latent_dim(context, options.latent_dim))) {}
};

AELAB_REGISTER_PLUGIN(model_registry(), "mlp", MlpAutoencoder, LatentOptions)
    .describe("autoencoder over the encoder/decoder sections (mlp by default), MSE loss");
[[maybe_unused]] static bool mlp_sections =
    declare_model_sections("mlp", {"encoder", "decoder", "trainer"});

}  // namespace aelab
