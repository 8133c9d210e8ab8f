// GPU slots.
#include "framework/sweep/workers/device_slots.h"

#include <cstdlib>
#include <sstream>

namespace aelab {

std::vector<DeviceSlot> device_slots(const std::vector<int64_t>& devices, int64_t per_device) {
  std::vector<DeviceSlot> slots;
  for (int64_t round = 0; round < per_device; ++round)
    for (size_t position = 0; position < devices.size(); ++position)
      slots.push_back({devices[position], static_cast<int64_t>(position), per_device});
  return slots;
}

std::vector<std::string> device_environment(const DeviceSlot& slot) {
  // Device numbers count within this process's own CUDA_VISIBLE_DEVICES (a Slurm task or a
  // shared server may see only some GPUs): pin the worker to the entry it names.
  std::string gpu = std::to_string(slot.device);
  if (const char* visible = std::getenv("CUDA_VISIBLE_DEVICES"); visible && *visible) {
    std::vector<std::string> entries;
    std::stringstream list(visible);
    for (std::string entry; std::getline(list, entry, ',');) entries.push_back(entry);
    if (slot.device >= 0 && slot.device < static_cast<int64_t>(entries.size()))
      gpu = entries[static_cast<size_t>(slot.device)];
  }
  return {"CUDA_VISIBLE_DEVICES=" + gpu, "AELAB_GPU=" + gpu};
}

}  // namespace aelab
