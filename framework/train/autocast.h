// Mixed precision (`trainer.precision`): a scope in which LibTorch's autocast runs the matrix
// products of forward passes in bfloat16, on the CPU or on a GPU.
#pragma once

#include <torch/torch.h>

#include <string>

namespace aelab {

/// Whether autocast is on for `device_type` in this thread.
bool autocast_enabled(at::DeviceType device_type);

/// Autocast to `precision` (`bf16`) on `device`'s kind for its lifetime; nothing for `fp32`.
class AutocastScope {
 public:
  AutocastScope(const std::string& precision, const torch::Device& device);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
  at::DeviceType device_type_ = at::kCPU;
  bool was_enabled_ = false;
  at::ScalarType was_dtype_ = at::kBFloat16;
};

}  // namespace aelab
