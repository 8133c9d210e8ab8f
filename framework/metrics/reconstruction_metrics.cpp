// Reconstruction metrics.
#include "framework/metrics/reconstruction_metrics.h"

#include <cmath>

namespace aelab {

std::map<std::string, double> reconstruction_metrics(
    const std::function<torch::Tensor(const torch::Tensor&)>& reconstruct, const torch::Tensor& x,
    int64_t batch_size, const torch::Tensor& input) {
  torch::NoGradGuard no_grad;
  const int64_t n = x.size(0);
  const double pixels = static_cast<double>(x[0].numel());
  torch::Tensor total = torch::zeros({}, x.options().dtype(torch::kFloat64));
  for (int64_t begin = 0; begin < n; begin += batch_size) {
    int64_t end = std::min(begin + batch_size, n);
    torch::Tensor batch = x.slice(0, begin, end);
    torch::Tensor source = input.defined() ? input.slice(0, begin, end) : batch;
    torch::Tensor error = (reconstruct(source) - batch).to(torch::kFloat64);
    total += error.pow(2).sum();
  }
  double sse = total.item<double>() / static_cast<double>(n);
  double mse = sse / pixels;
  return {{"mse", mse}, {"sse", sse}, {"psnr", 10.0 * std::log10(1.0 / mse)}};
}

std::map<std::string, double> denoising_metrics(
    const std::function<torch::Tensor(const torch::Tensor&)>& reconstruct,
    const torch::Tensor& clean, const torch::Tensor& noisy, int64_t batch_size) {
  std::map<std::string, double> out;
  for (const auto& [name, value] : reconstruction_metrics(reconstruct, clean, batch_size, noisy))
    out["denoise_" + name] = value;
  auto identity = [](const torch::Tensor& batch) { return batch; };
  auto noisy_metrics = reconstruction_metrics(identity, clean, batch_size, noisy);
  out["noisy_mse"] = noisy_metrics["mse"];
  out["noisy_psnr"] = noisy_metrics["psnr"];
  return out;
}

std::map<std::string, double> reconstruction_metrics(ModelImpl& model, const torch::Tensor& x,
                                                     int64_t batch_size) {
  Reconstructor& reconstructor = reconstructor_of(model);
  model.eval();
  return reconstruction_metrics(
      [&](const torch::Tensor& batch) { return reconstructor.reconstruct(batch); }, x, batch_size);
}

}  // namespace aelab
