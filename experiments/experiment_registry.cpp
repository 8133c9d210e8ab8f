// The experiment registry.
#include "experiments/experiment.h"

namespace aelab {

Registry<Experiment, RunContext>& experiment_registry() {
  static Registry<Experiment, RunContext> registry("experiment");
  return registry;
}

}  // namespace aelab
