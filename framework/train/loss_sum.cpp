#include "framework/train/loss_sum.h"

namespace aelab {

void LossSum::add(const torch::Tensor& loss, int64_t count) {
  const auto weight = static_cast<double>(count);
  if (loss.device().is_cpu()) {
    host_ += loss.item<double>() * weight;
    return;
  }
  if (!device_.defined()) device_ = torch::zeros({}, loss.options().dtype(torch::kFloat64));
  device_ += loss.detach().to(torch::kFloat64) * weight;
}

double LossSum::total() const { return device_.defined() ? host_ + device_.item<double>() : host_; }

}  // namespace aelab
