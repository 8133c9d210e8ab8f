// The `linear` model family: linear encoder and decoder, no activations. Its global optimum is
// the PCA subspace (Baldi and Hornik 1989), so it must match PCA's error when trained enough.
#include "framework/models/autoencoder.h"

namespace aelab {

/// Autoencoder with one affine map each way.
class LinearAutoencoder : public AutoencoderImpl {
 public:
  LinearAutoencoder(LatentOptions options, const BuildContext& context)
      : AutoencoderImpl(
            make_encoder(linear_section(), with_latent_dim(context, options.latent_dim)),
            make_decoder(linear_section(), with_latent_dim(context, options.latent_dim))) {}

 private:
  static ConfigNode linear_section() {
    ConfigNode section = ConfigNode::map();
    section.set("name", ConfigNode::string("linear"));
    return section;
  }
};

AELAB_REGISTER_PLUGIN(model_registry(), "linear", LinearAutoencoder, LatentOptions)
    .describe("linear encoder and decoder, no activation: PCA's subspace at its optimum");
[[maybe_unused]] static bool linear_sections = declare_model_sections("linear", {"trainer"});

}  // namespace aelab
