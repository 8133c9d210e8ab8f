// The epoch's loss sum, on the host or on the device.
#include "framework/train/loss_sum.h"

#include <stdexcept>
#include <string>

namespace aelab {

void LossSum::add(const torch::Tensor& loss, int64_t count) {
  const auto weight = static_cast<double>(count);
  const auto losses = static_cast<size_t>(loss.numel());
  if (sums_ && sums_ != losses)
    throw std::invalid_argument("LossSum: " + std::to_string(losses) + " losses after " +
                                std::to_string(sums_) + " a step");
  sums_ = losses;
  if (loss.device().is_cpu()) {
    if (host_.empty()) host_.assign(losses, 0.0);
    if (loss.dim() == 0) {
      host_[0] += loss.item<double>() * weight;
      return;
    }
    const torch::Tensor wide = loss.detach().to(torch::kFloat64).contiguous();
    const double* values = wide.data_ptr<double>();
    for (size_t k = 0; k < losses; ++k) host_[k] += values[k] * weight;
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
    sums.resize(sums_, 0.0);
    for (size_t k = 0; k < sums_; ++k) sums[k] += read.data_ptr<double>()[k];
  }
  return sums;
}

double LossSum::total() const {
  const std::vector<double> sums = totals();
  return sums.empty() ? 0.0 : sums.front();
}

}  // namespace aelab
