// `none`: the plain (not denoising) autoencoder.
#include "framework/models/noise/noise_model.h"

namespace aelab {

/// The identity.
class NoNoise : public NoiseModel {
 public:
  NoNoise(NoOptions, const NoiseContext&) {}
  torch::Tensor corrupt(const torch::Tensor& clean) const override { return clean; }
  bool is_identity() const override { return true; }
};

AELAB_REGISTER_PLUGIN(noise_registry(), "none", NoNoise, NoOptions)
    .describe("no corruption: a plain autoencoder");

}  // namespace aelab
