// An epoch's training loss: the sum of the batch losses, each weighted by its batch's size, in
// float64. On the CPU it is a double on the host, since three tensor operations a step cost more
// than a small model's elementwise work; on a GPU it stays on the device, so that no step waits
// for the host. The arithmetic is the same either way: each loss widened to float64, multiplied
// by the batch size, added in order. A stacked training sums K losses at once (a [K] tensor a
// step), one sum per variant.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace aelab {

class LossSum {
 public:
  /// Adds `loss` (a scalar tensor, or one loss per variant in a 1-D tensor) weighted by `count`,
  /// the batch's size. Every call gives the same number of losses (std::invalid_argument
  /// otherwise).
  void add(const torch::Tensor& loss, int64_t count);
  /// The sum of the scalar losses so far (on a GPU, read here); 0 before any.
  double total() const;
  /// Each variant's sum (on a GPU, read in one copy); empty before any loss.
  std::vector<double> totals() const;

 private:
  size_t sums_ = 0;  ///< losses a step, once one is added
  std::vector<double> host_;
  torch::Tensor device_;  ///< float64 on the losses' device, while they are not on the CPU
};

}  // namespace aelab
