// Batches carry inputs and targets: `x` (images) and `y` (class labels [N], per-pixel label maps
// [N, H, W], or nothing), drawn by index from tensors that already live on the device.
#pragma once

#include <torch/torch.h>

namespace aelab {

/// One minibatch: inputs and, when the data has them, targets.
struct Batch {
  torch::Tensor x;
  torch::Tensor y;  ///< undefined when the data has no targets
};

/// A whole split on its device: inputs and targets with the same first dimension.
struct LabelledSet {
  torch::Tensor x;
  torch::Tensor y;  ///< may be undefined
  int64_t size() const { return x.size(0); }
  /// The rows `index` (a long tensor on the same device) as a batch.
  Batch take(const torch::Tensor& index) const {
    return Batch{x.index_select(0, index), y.defined() ? y.index_select(0, index) : y};
  }
};

}  // namespace aelab
