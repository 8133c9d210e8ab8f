// Salt-and-pepper noise: a random fraction of pixels set to 0 or 1 with equal odds
// (Vincent et al. 2010, section 4.2).
#include "framework/models/noise/noise_model.h"

namespace aelab {

/// Options of salt-and-pepper noise.
struct SaltPepperNoiseOptions {
  double fraction = 0.2;
  template <class V>
  void visit(V& v) {
    v("fraction", fraction, "share of pixels replaced by 0 or 1", Between{0, 1});
  }
};

/// Each pixel, with probability `fraction`, becomes 0 or 1 (a fair coin).
class SaltPepperNoise : public NoiseModel {
 public:
  SaltPepperNoise(SaltPepperNoiseOptions options, const NoiseContext&)
      : fraction_(options.fraction) {}
  torch::Tensor corrupt(const torch::Tensor& clean) const override {
    torch::Tensor hit = torch::rand_like(clean) < fraction_;
    torch::Tensor salt = (torch::rand_like(clean) < 0.5).to(clean.dtype());
    return torch::where(hit, salt, clean);
  }

 private:
  double fraction_;
};

AELAB_REGISTER_PLUGIN(noise_registry(), "salt_pepper", SaltPepperNoise, SaltPepperNoiseOptions)
    .describe("a fraction of pixels set to 0 or 1");

}  // namespace aelab
