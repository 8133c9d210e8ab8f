// GPU slots.
#include "framework/sweep/device_slots.h"

namespace aelab {

std::vector<DeviceSlot> device_slots(const std::vector<int64_t>& devices, int64_t per_device) {
  std::vector<DeviceSlot> slots;
  for (int64_t round = 0; round < per_device; ++round)
    for (size_t position = 0; position < devices.size(); ++position)
      slots.push_back({devices[position], static_cast<int64_t>(position), per_device});
  return slots;
}

std::vector<std::string> device_environment(const DeviceSlot& slot) {
  return {"CUDA_VISIBLE_DEVICES=" + std::to_string(slot.device),
          "AELAB_GPU=" + std::to_string(slot.device)};
}

}  // namespace aelab
