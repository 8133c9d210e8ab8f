// Reconstruction metrics.
#include "framework/metrics/reconstruction_metrics.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace aelab {
namespace {

/// Elements summed into one float64 partial sum: a fixed size, so that the total is the same
/// whatever the number of threads.
constexpr int64_t kChunk = 8192;

/// The sum of double(a - b)^2 over float32 CPU tensors of one shape, in one pass over memory
/// (the differences in float32, their squares summed in float64, as the tensor expression
/// (a - b).to(kFloat64).pow(2).sum() computes them), instead of that expression's four passes
/// and two float64 copies.
double squared_error_sum(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor ac = a.contiguous(), bc = b.contiguous();
  const float* pa = ac.data_ptr<float>();
  const float* pb = bc.data_ptr<float>();
  const int64_t n = ac.numel(), chunks = (n + kChunk - 1) / kChunk;
  std::vector<double> partial(static_cast<size_t>(chunks), 0.0);
  at::parallel_for(0, chunks, 1, [&](int64_t first, int64_t last) {
    for (int64_t chunk = first; chunk < last; ++chunk) {
      const int64_t begin = chunk * kChunk, end = std::min(n, begin + kChunk);
      double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};  // independent sums the CPU can overlap
      int64_t i = begin;
      for (; i + 8 <= end; i += 8)
        for (int lane = 0; lane < 8; ++lane) {
          const double difference = pa[i + lane] - pb[i + lane];
          lanes[lane] += difference * difference;
        }
      for (; i < end; ++i) {
        const double difference = pa[i] - pb[i];
        lanes[0] += difference * difference;
      }
      partial[static_cast<size_t>(chunk)] = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) +
                                            ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    }
  });
  double total = 0;
  for (double sum : partial) total += sum;
  return total;
}

/// Whether squared_error_sum can take the pair: float32 CPU tensors of one shape, laid out in
/// strides.
bool one_pass_applies(const torch::Tensor& a, const torch::Tensor& b) {
  return a.device().is_cpu() && b.device().is_cpu() && a.layout() == torch::kStrided &&
         b.layout() == torch::kStrided && a.scalar_type() == torch::kFloat32 &&
         b.scalar_type() == torch::kFloat32 && a.sizes() == b.sizes();
}

}  // namespace

std::map<std::string, double> reconstruction_metrics(
    const std::function<torch::Tensor(const torch::Tensor&)>& reconstruct, const torch::Tensor& x,
    int64_t batch_size, const torch::Tensor& input) {
  torch::NoGradGuard no_grad;
  const int64_t n = x.size(0);
  const double pixels = static_cast<double>(x[0].numel());
  // On the CPU each batch's sum is added in float64 here; elsewhere it stays on the device and
  // is read once, at the end.
  double host_total = 0;
  torch::Tensor device_total = torch::zeros({}, x.options().dtype(torch::kFloat64));
  for (int64_t begin = 0; begin < n; begin += batch_size) {
    int64_t end = std::min(begin + batch_size, n);
    torch::Tensor batch = x.slice(0, begin, end);
    torch::Tensor source = input.defined() ? input.slice(0, begin, end) : batch;
    torch::Tensor reconstruction = reconstruct(source);
    if (one_pass_applies(reconstruction, batch))
      host_total += squared_error_sum(reconstruction, batch);
    else
      device_total += (reconstruction - batch).to(torch::kFloat64).pow(2).sum();
  }
  double sse = (host_total + device_total.item<double>()) / static_cast<double>(n);
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
