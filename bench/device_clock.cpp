#include "bench/device_clock.h"

#include <dlfcn.h>

#include <array>
#include <stdexcept>

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
    const bool all = found.create && found.record && found.synchronize && found.elapsed &&
                     found.destroy;
    return all ? &found : nullptr;
  }
};

namespace {

using EventPair = std::array<void*, 2>;

/// Waits for the work queued on a CUDA device; nothing to wait for elsewhere.
void synchronize_device(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.has_index() ? device.index() : -1);
}

}  // namespace

DeviceClock::DeviceClock(const torch::Device& device) : device_(device) {
  if (!device.is_cuda()) return;
  runtime_ = Runtime::loaded();
  if (!runtime_) return;
  synchronize_device(device_);  // the runtime's context is LibTorch's, made current by now
  auto* events = new EventPair{nullptr, nullptr};
  if (runtime_->create(&(*events)[0]) != 0 || runtime_->create(&(*events)[1]) != 0) {
    for (void* event : *events)
      if (event) runtime_->destroy(event);
    delete events;
    return;
  }
  events_ = events;
}

DeviceClock::~DeviceClock() {
  if (!events_) return;
  auto* events = static_cast<EventPair*>(events_);
  for (void* event : *events) runtime_->destroy(event);
  delete events;
}

void DeviceClock::start() {
  if (events_) {
    runtime_->record((*static_cast<EventPair*>(events_))[0], /*default stream*/ nullptr);
    return;
  }
  synchronize_device(device_);
  start_ = std::chrono::steady_clock::now();
}

double DeviceClock::seconds() {
  if (events_) {
    const EventPair& events = *static_cast<EventPair*>(events_);
    float milliseconds = 0;
    if (runtime_->record(events[1], nullptr) == 0 && runtime_->synchronize(events[1]) == 0 &&
        runtime_->elapsed(&milliseconds, events[0], events[1]) == 0)
      return milliseconds / 1000.0;
    throw std::runtime_error("the CUDA runtime could not time the span with events");
  }
  synchronize_device(device_);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace aelab
