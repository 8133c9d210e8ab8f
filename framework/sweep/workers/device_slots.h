// GPU slots of the local launcher: `jobs_per_device` worker slots per device, and the
// environment that pins a worker to its slot's device.
#pragma once

#include <string>
#include <vector>

namespace aelab {

/// One place a worker can run on a GPU.
struct DeviceSlot {
  int64_t device = 0;           ///< the GPU's number as CUDA numbers them
  int64_t device_position = 0;  ///< its position in the launcher's device list
  int64_t per_device = 1;
};

/// Slots ordered so that consecutive workers go to different devices: with devices [0, 1] and
/// 2 per device, slots run on 0, 1, 0, 1.
std::vector<DeviceSlot> device_slots(const std::vector<int64_t>& devices, int64_t per_device);

/// `CUDA_VISIBLE_DEVICES=N` (the worker sees its GPU as cuda:0) and `AELAB_GPU=N` (what its
/// run file records: `device: cuda:N`); N is the slot's entry of this process's own
/// CUDA_VISIBLE_DEVICES when that is set.
std::vector<std::string> device_environment(const DeviceSlot& slot);

}  // namespace aelab
