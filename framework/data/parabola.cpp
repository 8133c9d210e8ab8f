// Points near a parabola: (x, x^2 + eps), x uniform in [low, high], eps ~ N(0, noise_std^2).
// A one-dimensional curved manifold in the plane: PCA (and a linear autoencoder) with one
// component can only keep a straight line through it, a nonlinear autoencoder can follow it.
#include <cmath>
#include <random>

#include "framework/core/error.h"
#include "framework/data/dataset.h"

namespace aelab {

/// Options of the parabola dataset.
struct ParabolaOptions {
  int64_t train_size = 10000;
  int64_t test_size = 2000;
  double low = -1.0;
  double high = 1.0;
  double noise_std = 0.01;
  double val_fraction = 0.1;
  int64_t generator_seed = 0;
  template <class V>
  void visit(V& v) {
    v("train_size", train_size, "points generated for training (validation included)", AtLeast{2});
    v("test_size", test_size, "points generated for testing", AtLeast{1});
    v("low", low, "smallest x");
    v("high", high, "largest x");
    v("noise_std", noise_std, "standard deviation of the noise added to x^2", AtLeast{0});
    v("val_fraction", val_fraction, "share of the training points held out for validation",
      Between{0, 0.9});
    v("generator_seed", generator_seed, "seed of the points (kept apart from `seed`)");
  }
};

/// Samples [N, 2] of the parabola; labels are all 0 (one class).
class Parabola : public Dataset {
 public:
  Parabola(ParabolaOptions options, const DataContext&) : options_(options) {
    if (!(options_.low < options_.high))
      throw ConfigError("data.low: expected less than data.high (" + format_float(options_.low) +
                        " >= " + format_float(options_.high) + ")");
  }
  DataSplits load() const override {
    // std::mt19937_64 with our own transforms: the points must not change with the library.
    std::mt19937_64 generator(static_cast<uint64_t>(options_.generator_seed));
    torch::Tensor train = points(options_.train_size, generator);
    torch::Tensor test = points(options_.test_size, generator);
    DataSplits out;
    split_validation(train, torch::zeros({train.size(0)}, torch::kLong), options_.val_fraction,
                     options_.generator_seed, out);
    if (out.train_x.size(0) < 2 || out.val_x.size(0) < 1)
      throw ConfigError("data.val_fraction: leaves an empty split; change it or data.train_size");
    out.test_x = test;
    out.test_y = torch::zeros({test.size(0)}, torch::kLong);
    return out;
  }

 private:
  torch::Tensor points(int64_t count, std::mt19937_64& generator) const {
    auto uniform = [&]() { return static_cast<double>(generator() >> 11) * 0x1.0p-53; };
    std::vector<float> values;
    for (int64_t i = 0; i < count; ++i) {
      const double x = options_.low + (options_.high - options_.low) * uniform();
      // Box-Muller from two uniforms in (0, 1].
      const double u1 = 1.0 - uniform(), u2 = uniform();
      const double eps = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
      values.push_back(static_cast<float>(x));
      values.push_back(static_cast<float>(x * x + options_.noise_std * eps));
    }
    return torch::tensor(values).view({count, 2});
  }

  ParabolaOptions options_;
};

AELAB_REGISTER_PLUGIN(dataset_registry(), "parabola", Parabola, ParabolaOptions)
    .describe("points (x, x^2 + noise) in the plane: a curved 1-D manifold PCA cannot follow");

}  // namespace aelab
