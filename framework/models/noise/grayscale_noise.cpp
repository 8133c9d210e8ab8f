// Colour removed: the network sees the grey version of a colour image, replicated over the
// channels, and learns to give the colours back (colourization as an image-to-image
// autoencoder; Zhang, Isola and Efros 2016 set the task).
#include "framework/core/error.h"
#include "framework/models/noise/noise_model.h"

namespace aelab {

/// Options of the grayscale "noise".
struct GrayscaleNoiseOptions {
  std::vector<double> weights{0.299, 0.587, 0.114};
  template <class V>
  void visit(V& v) {
    v("weights", weights, "weight of each channel in the grey value (ITU-R BT.601 luma)");
  }
};

/// grey = sum_c w_c x_c / sum_c w_c, the same in every channel, for colour images only.
class GrayscaleNoise : public NoiseModel {
 public:
  GrayscaleNoise(GrayscaleNoiseOptions options, const NoiseContext&)
      : weights_(std::move(options.weights)) {
    double total = 0;
    bool negative = false;
    for (double w : weights_) total += w, negative |= w < 0;
    if (weights_.empty() || total <= 0 || negative)
      throw ConfigError(
          "noise.weights: give one positive weight per channel, such as "
          "[0.299, 0.587, 0.114]");
  }
  void check_samples(const std::vector<int64_t>& shape) const override {
    if (shape.size() != 3)
      throw ConfigError(
          "noise.name: grayscale needs colour images [C, H, W], and these samples "
          "have " +
          std::to_string(shape.size()) + " dimension(s) (use another noise)");
    if (shape[0] == 1)
      throw ConfigError(
          "noise.name: grayscale leaves these one-channel images as they are, since they are grey "
          "already, so there would be nothing to learn (use colour images, such as "
          "data=fashion_mosaic data.colour=true or data=cifar10, or another noise)");
    if (shape[0] != static_cast<int64_t>(weights_.size()))
      throw ConfigError("noise.weights: " + std::to_string(weights_.size()) +
                        " weights for images of " + std::to_string(shape[0]) +
                        " channels (give one per channel)");
  }
  torch::Tensor corrupt(const torch::Tensor& clean) const override {
    check_samples(std::vector<int64_t>(clean.sizes().begin() + 1, clean.sizes().end()));
    const int64_t channels = clean.size(1);
    torch::Tensor w = torch::tensor(weights_, clean.options()).view({1, channels, 1, 1});
    torch::Tensor grey = (clean * w).sum(1, /*keepdim=*/true) / w.sum();
    return grey.expand_as(clean).contiguous();
  }

 private:
  std::vector<double> weights_;
};

AELAB_REGISTER_PLUGIN(noise_registry(), "grayscale", GrayscaleNoise, GrayscaleNoiseOptions)
    .describe("the grey image replicated over the channels: colourization");

}  // namespace aelab
