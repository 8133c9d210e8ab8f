// Noise models for denoising autoencoders: corrupt the training input while the target stays
// clean (Vincent et al. 2008). Draws come from torch's seeded generator, so runs reproduce.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "framework/core/registry.h"

namespace aelab {

/// Nothing beyond the options is needed to build a noise model.
struct NoiseContext {};

/// Base of noise plugins (`noise.name`).
class NoiseModel {
 public:
  virtual ~NoiseModel() = default;
  /// A corrupted copy of `clean` (values in [0, 1]), same shape and device.
  virtual torch::Tensor corrupt(const torch::Tensor& clean) const = 0;
  /// ConfigError, led by the noise option at fault, when this noise cannot corrupt samples of
  /// `sample_shape` ([C, H, W] for images) or would leave them as they are.
  virtual void check_samples(const std::vector<int64_t>& sample_shape) const { (void)sample_shape; }
  /// True for `none`: training and evaluation skip corruption.
  virtual bool is_identity() const { return false; }
};

/// `noise`'s corruption of `clean` drawn from `seed`, the same whenever it is drawn (a
/// validation set corrupted once for every epoch's scores), leaving the random stream of the
/// caller as it was: a training's batches and noise draw as they would without it.
torch::Tensor corrupt_seeded(const NoiseModel& noise, const torch::Tensor& clean, uint64_t seed);

/// Registry of noise plugins.
Registry<NoiseModel, NoiseContext>& noise_registry();

}  // namespace aelab
