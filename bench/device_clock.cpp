// CUDA events through the runtime's C functions, found in the running process.
#include "bench/device_clock.h"

#include <c10/core/DeviceGuard.h>
#include <dlfcn.h>

#include "framework/core/error.h"

namespace aelab {

/// The CUDA runtime's event functions (cudaError_t is an int; 0 is success).
struct DeviceClock::Runtime {
  using Create = int (*)(void** event);
  using Record = int (*)(void* event, void* stream);
  using Synchronize = int (*)(void* event);
  using Elapsed = int (*)(float* milliseconds, void* start, void* end);
  using Destroy = int (*)(void* event);
  Create create = nullptr;
  Record record = nullptr;
  Synchronize synchronize = nullptr;
  Elapsed elapsed = nullptr;
  Destroy destroy = nullptr;

  /// The runtime's functions where the process has them loaded (LibTorch's CUDA build brings
  /// libcudart), else null.
  static const Runtime* loaded() {
    static const Runtime found = [] {
      Runtime r;
      r.create = reinterpret_cast<Create>(dlsym(RTLD_DEFAULT, "cudaEventCreate"));
      r.record = reinterpret_cast<Record>(dlsym(RTLD_DEFAULT, "cudaEventRecord"));
      r.synchronize = reinterpret_cast<Synchronize>(dlsym(RTLD_DEFAULT, "cudaEventSynchronize"));
      r.elapsed = reinterpret_cast<Elapsed>(dlsym(RTLD_DEFAULT, "cudaEventElapsedTime"));
      r.destroy = reinterpret_cast<Destroy>(dlsym(RTLD_DEFAULT, "cudaEventDestroy"));
      return r;
    }();
    const bool all =
        found.create && found.record && found.synchronize && found.elapsed && found.destroy;
    return all ? &found : nullptr;
  }
};

namespace {

/// Waits for the work queued on a CUDA device; nothing to wait for elsewhere.
void synchronize_device(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.has_index() ? device.index() : -1);
}

}  // namespace

DeviceClock::DeviceClock(const torch::Device& device) : device_(device) {
  if (!device.is_cuda()) return;
  const Runtime* runtime = Runtime::loaded();
  if (!runtime) return;
  synchronize_device(device_);          // LibTorch's context on the device exists from here
  c10::DeviceGuard on_device(device_);  // events belong to the device current at their creation
  if (runtime->create(&events_[0]) != 0 || runtime->create(&events_[1]) != 0) {
    for (void*& event : events_) {
      if (event) runtime->destroy(event);
      event = nullptr;
    }
    return;  // the steady clock, then
  }
  runtime_ = runtime;
}

DeviceClock::~DeviceClock() {
  if (!runtime_) return;
  for (void* event : events_) runtime_->destroy(event);
}

void DeviceClock::record(void* event) const {
  c10::DeviceGuard on_device(device_);  // stream 0 is the current device's default stream
  if (runtime_->record(event, /*default stream*/ nullptr) != 0)
    throw Error("the CUDA runtime could not record an event on " + device_.str());
}

void DeviceClock::start() {
  if (runtime_) {
    record(events_[0]);
    return;
  }
  synchronize_device(device_);
  start_ = std::chrono::steady_clock::now();
}

double DeviceClock::seconds() {
  if (runtime_) {
    record(events_[1]);
    float milliseconds = 0;
    if (runtime_->synchronize(events_[1]) != 0 ||
        runtime_->elapsed(&milliseconds, events_[0], events_[1]) != 0)
      throw Error("the CUDA runtime could not time the span between two events on " +
                  device_.str());
    return milliseconds / 1000.0;
  }
  synchronize_device(device_);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace aelab
