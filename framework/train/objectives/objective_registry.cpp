// The objective registry.
#include "framework/train/objective.h"

namespace aelab {

Registry<Objective, ObjectiveContext>& objective_registry() {
  static Registry<Objective, ObjectiveContext> registry("objective");
  return registry;
}

std::shared_ptr<Objective> make_objective(const ConfigNode& section) {
  return objective_registry().make_named(section, "objective", {});
}

std::shared_ptr<Objective> make_objective(const std::string& name) {
  ConfigNode section = ConfigNode::map();
  section.set("name", ConfigNode::string(name));
  return make_objective(section);
}

}  // namespace aelab
