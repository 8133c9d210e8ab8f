// The noise registry, and seeded corruption apart from a training's random stream.
#include "framework/models/noise/noise_model.h"

namespace aelab {

Registry<NoiseModel, NoiseContext>& noise_registry() {
  static Registry<NoiseModel, NoiseContext> registry("noise");
  return registry;
}

torch::Tensor corrupt_seeded(const NoiseModel& noise, const torch::Tensor& clean, uint64_t seed) {
  // The generators the draws take (the CPU's, and the device's where that is not the CPU), as
  // they were before, once the draws are done.
  std::vector<at::Generator> generators{at::globalContext().defaultGenerator(torch::kCPU)};
  if (!clean.device().is_cpu())
    generators.push_back(at::globalContext().defaultGenerator(clean.device()));
  std::vector<torch::Tensor> states;
  for (auto& generator : generators) {
    std::lock_guard<std::mutex> lock(generator.mutex());
    states.push_back(generator.get_state());
  }
  for (auto& generator : generators) {
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_current_seed(seed);
  }
  torch::Tensor noisy = noise.corrupt(clean);
  for (size_t i = 0; i < generators.size(); ++i) {
    std::lock_guard<std::mutex> lock(generators[i].mutex());
    generators[i].set_state(states[i]);
  }
  return noisy;
}

}  // namespace aelab
