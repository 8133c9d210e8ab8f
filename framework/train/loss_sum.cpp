#include "framework/train/loss_sum.h"

namespace aelab {

void LossSum::add(const torch::Tensor& loss, int64_t count) {
  const auto weight = static_cast<double>(count);
  if (loss.device().is_cpu()) {
    if (loss.dim() == 0) {
      if (host_.empty()) host_.assign(1, 0.0);
      host_[0] += loss.item<double>() * weight;
      return;
    }
    const torch::Tensor wide = loss.detach().to(torch::kFloat64).contiguous();
    if (host_.empty()) host_.assign(static_cast<size_t>(wide.numel()), 0.0);
    const double* values = wide.data_ptr<double>();
    for (size_t k = 0; k < host_.size(); ++k) host_[k] += values[k] * weight;
    return;
  }
  if (!device_.defined())
    device_ = torch::zeros(loss.sizes(), loss.options().dtype(torch::kFloat64));
  device_ += loss.detach().to(torch::kFloat64) * weight;
}

std::vector<double> LossSum::totals() const {
  std::vector<double> sums = host_;
  if (device_.defined()) {
    const torch::Tensor read = device_.to(torch::kCPU).contiguous().view({-1});
    sums.resize(static_cast<size_t>(read.numel()), 0.0);
    for (size_t k = 0; k < sums.size(); ++k) sums[k] += read.data_ptr<double>()[k];
  }
  return sums;
}

double LossSum::total(int64_t k) const {
  const std::vector<double> sums = totals();
  return static_cast<size_t>(k) < sums.size() ? sums[static_cast<size_t>(k)] : 0.0;
}

}  // namespace aelab
