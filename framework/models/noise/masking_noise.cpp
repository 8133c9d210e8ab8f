// Masking noise: a random fraction of pixels forced to 0, the corruption of the original
// denoising autoencoder (Vincent, Larochelle, Bengio and Manzagol 2008).
#include "framework/models/noise/noise_model.h"

namespace aelab {

/// Options of masking noise.
struct MaskingNoiseOptions {
  double fraction = 0.25;
  template <class V>
  void visit(V& v) {
    v("fraction", fraction, "share of pixels zeroed", Between{0, 1});
  }
};

/// Each pixel, with probability `fraction`, becomes 0.
class MaskingNoise : public NoiseModel {
 public:
  MaskingNoise(MaskingNoiseOptions options, const NoiseContext&) : fraction_(options.fraction) {}
  torch::Tensor corrupt(const torch::Tensor& clean) const override {
    return clean * (torch::rand_like(clean) >= fraction_).to(clean.dtype());
  }

 private:
  double fraction_;
};

AELAB_REGISTER_PLUGIN(noise_registry(), "masking", MaskingNoise, MaskingNoiseOptions)
    .describe("a fraction of pixels zeroed (Vincent et al. 2008)");

}  // namespace aelab
