// `none`: the plain (not denoising) autoencoder.
#include "framework/models/noise/noise_model.h"

namespace aelab {

/// No options.
struct NoNoiseOptions {
  template <class V>
  void visit(V&) {}
};

/// The identity.
class NoNoise : public NoiseModel {
 public:
  NoNoise(NoNoiseOptions, const NoiseContext&) {}
  torch::Tensor corrupt(const torch::Tensor& clean) const override { return clean; }
  bool is_identity() const override { return true; }
};

AELAB_REGISTER_PLUGIN(noise_registry(), "none", NoNoise, NoNoiseOptions)
    .describe("no corruption: a plain autoencoder");

}  // namespace aelab
