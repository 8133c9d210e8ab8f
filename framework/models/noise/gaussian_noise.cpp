// Additive isotropic Gaussian noise, clipped back to [0, 1] (Vincent et al. 2010, section 4.2).
#include "framework/models/noise/noise_model.h"

namespace aelab {

/// Options of Gaussian noise.
struct GaussianNoiseOptions {
  double sigma = 0.3;
  template <class V>
  void visit(V& v) {
    v("sigma", sigma, "standard deviation of the added noise (pixels in [0, 1])", AtLeast{0});
  }
};

/// x + sigma * N(0, 1), clipped to [0, 1].
class GaussianNoise : public NoiseModel {
 public:
  GaussianNoise(GaussianNoiseOptions options, const NoiseContext&) : sigma_(options.sigma) {}
  torch::Tensor corrupt(const torch::Tensor& clean) const override {
    return (clean + sigma_ * torch::randn_like(clean)).clamp(0, 1);
  }

 private:
  double sigma_;
};

AELAB_REGISTER_PLUGIN(noise_registry(), "gaussian", GaussianNoise, GaussianNoiseOptions)
    .describe("additive Gaussian noise of std sigma, clipped to [0, 1]");

}  // namespace aelab
