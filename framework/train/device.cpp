// Device resolution and thread settings.
#include "framework/train/device.h"

#include <ATen/Parallel.h>
#include <malloc.h>

#include <regex>

#include "framework/core/error.h"

namespace aelab {

void check_device_spec(const std::string& spec) {
  static const std::regex kValid("auto|cpu|cuda(:[0-9]{1,4})?");
  if (!std::regex_match(spec, kValid))
    throw ConfigError("device: expected auto, cpu, cuda or cuda:N, got '" + spec + "'");
}

torch::Device resolve_device(const std::string& spec) {
  check_device_spec(spec);
  if (spec == "cpu") return torch::kCPU;
  bool available = torch::cuda::is_available();
  if (spec == "auto")
    return available ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  if (!available)
    throw ConfigError(
        "device: '" + spec +
        "' asked for, but this LibTorch sees no CUDA device (use device=auto or cpu)");
  int index = spec.size() > 5 ? std::stoi(spec.substr(5)) : 0;
  int count = static_cast<int>(torch::cuda::device_count());
  if (index >= count)
    throw ConfigError(
        "device: '" + spec + "' asked for, but this machine shows " + std::to_string(count) +
        " CUDA device(s) (use cuda:0 to cuda:" + std::to_string(count - 1) + ", or auto)");
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

void keep_freed_memory_for_reuse() {
  constexpr int kOneGiB = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kOneGiB);
  mallopt(M_TRIM_THRESHOLD, kOneGiB);
}

void set_cpu_threads(int64_t threads) {
  torch::set_num_threads(static_cast<int>(threads));
  // The floating-point mode is per thread: set it on the caller and on every intra-op thread.
  at::globalContext().setFlushDenormal(true);
  at::parallel_for(0, at::get_num_threads(), 1,
                   [](int64_t, int64_t) { at::globalContext().setFlushDenormal(true); });
}

}  // namespace aelab
