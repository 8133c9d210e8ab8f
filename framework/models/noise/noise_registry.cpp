// The noise registry.
#include "framework/models/noise/noise_model.h"

namespace aelab {

Registry<NoiseModel, NoiseContext>& noise_registry() {
  static Registry<NoiseModel, NoiseContext> registry("noise");
  return registry;
}

}  // namespace aelab
