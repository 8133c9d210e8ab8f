// Autocast scopes over LibTorch 1.x's per-device functions and 2.x's device-type ones.
#include "framework/train/autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace aelab {
namespace {

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool enabled(at::DeviceType type) { return at::autocast::is_autocast_enabled(type); }
void set_enabled(at::DeviceType type, bool on) { at::autocast::set_autocast_enabled(type, on); }
at::ScalarType dtype(at::DeviceType type) { return at::autocast::get_autocast_dtype(type); }
void set_dtype(at::DeviceType type, at::ScalarType to) {
  at::autocast::set_autocast_dtype(type, to);
}
#else
bool enabled(at::DeviceType type) {
  return type == at::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
}
void set_enabled(at::DeviceType type, bool on) {
  type == at::kCUDA ? at::autocast::set_enabled(on) : at::autocast::set_cpu_enabled(on);
}
at::ScalarType dtype(at::DeviceType type) {
  return type == at::kCUDA ? at::autocast::get_autocast_gpu_dtype()
                           : at::autocast::get_autocast_cpu_dtype();
}
void set_dtype(at::DeviceType type, at::ScalarType to) {
  type == at::kCUDA ? at::autocast::set_autocast_gpu_dtype(to)
                    : at::autocast::set_autocast_cpu_dtype(to);
}
#endif

}  // namespace

bool autocast_enabled(at::DeviceType device_type) { return enabled(device_type); }

AutocastScope::AutocastScope(const std::string& precision, const torch::Device& device) {
  if (precision != "bf16") return;
  active_ = true;
  device_type_ = device.is_cuda() ? at::kCUDA : at::kCPU;
  was_enabled_ = enabled(device_type_);
  was_dtype_ = dtype(device_type_);
  set_dtype(device_type_, at::kBFloat16);
  set_enabled(device_type_, true);
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  // The bfloat16 copies of the weights are made once per scope: drop them with it.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_enabled(device_type_, was_enabled_);
  set_dtype(device_type_, was_dtype_);
}

}  // namespace aelab
