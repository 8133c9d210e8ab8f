// An epoch's training loss: the sum of the batch losses, each weighted by its batch's size, in
// float64. On the CPU it is a double on the host, since three tensor operations a step cost more
// than a small model's elementwise work; on a GPU it stays on the device, so that no step waits
// for the host. The arithmetic is the same either way: each loss widened to float64, multiplied
// by the batch size, added in order.
#pragma once

#include <torch/torch.h>

namespace aelab {

class LossSum {
 public:
  /// Adds `loss` (a scalar tensor) weighted by `count`, the batch's size.
  void add(const torch::Tensor& loss, int64_t count);
  /// The sum so far (on a GPU, read once here).
  double total() const;

 private:
  double host_ = 0.0;
  torch::Tensor device_;  ///< float64 on the losses' device, while they are not on the CPU
};

}  // namespace aelab
