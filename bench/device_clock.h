// Times spans of a workload's device work. On a CUDA device it records CUDA events on that
// device's default stream (the one LibTorch runs on unless told otherwise) and reads the time
// between them, as torch.cuda.Event(enable_timing=True) does in the peers; it reaches the CUDA
// runtime LibTorch already loaded, so the project builds without CUDA headers. Elsewhere, or
// where that runtime is not found, it reads the steady clock after waiting for the device.
#pragma once

#include <torch/torch.h>

#include <array>
#include <chrono>
#include <string>

namespace aelab {

class DeviceClock {
 public:
  explicit DeviceClock(const torch::Device& device);
  ~DeviceClock();
  DeviceClock(const DeviceClock&) = delete;
  DeviceClock& operator=(const DeviceClock&) = delete;

  /// Marks the start of a span (after the work queued so far).
  void start();
  /// Seconds from the last start() to the end of the work queued so far (waits for it).
  double seconds();
  /// "cuda_events" or "steady_clock": how seconds() measures.
  std::string method() const { return runtime_ ? "cuda_events" : "steady_clock"; }

 private:
  struct Runtime;
  /// Records `event` on the device's default stream; Error where the runtime fails.
  void record(void* event) const;

  torch::Device device_;
  const Runtime* runtime_ = nullptr;                 ///< null: the steady clock
  std::array<void*, 2> events_{{nullptr, nullptr}};  ///< cudaEvent_t: start, end
  std::chrono::steady_clock::time_point start_;
};

}  // namespace aelab
