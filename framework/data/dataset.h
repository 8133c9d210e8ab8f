// Dataset plugins: each loads train/validation/test tensors with pixels in [0, 1].
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "framework/core/registry.h"

namespace aelab {

/// Images as float tensors [N, C, H, W] in [0, 1] and integer labels [N].
struct DataSplits {
  torch::Tensor train_x, train_y;
  torch::Tensor val_x, val_y;
  torch::Tensor test_x, test_y;
  /// Shape of one sample, [C, H, W]: what models are built for.
  std::vector<int64_t> sample_shape() const;
  /// The same splits on `device`.
  DataSplits to(const torch::Device& device) const;
};

/// Shared facts a dataset is built with (none yet; kept for symmetry with other kinds).
struct DataContext {};

/// A dataset plugin.
class Dataset {
 public:
  virtual ~Dataset() = default;
  /// Reads and checks every file; throws DataError naming the file and the fix.
  virtual DataSplits load() const = 0;
};

/// Registry of dataset plugins (`data.name`).
Registry<Dataset, DataContext>& dataset_registry();

/// Splits `x`, `y` into a training part and a validation part of `round(fraction * N)` samples,
/// chosen by a permutation seeded with `seed` (independent of torch's generator).
void split_validation(const torch::Tensor& x, const torch::Tensor& y, double fraction, int64_t seed,
                      DataSplits& out);

}  // namespace aelab
