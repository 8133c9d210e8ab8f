// The objective registry.
#include "framework/train/objective.h"

namespace aelab {

Registry<Objective, ObjectiveContext>& objective_registry() {
  static Registry<Objective, ObjectiveContext> registry("objective");
  return registry;
}

std::shared_ptr<Objective> make_objective(const ConfigNode& section) {
  const ConfigNode* name = section.is_map() ? section.get("name") : nullptr;
  if (!name || name->kind() != ConfigNode::Kind::kString)
    throw ConfigError(section.mark.describe() +
                      ": objective.name: missing (choose one with objective=NAME)");
  return objective_registry().at(name->as_string(), "objective.name").make(section, {});
}

std::shared_ptr<Objective> make_objective(const std::string& name) {
  ConfigNode section = ConfigNode::map();
  section.set("name", ConfigNode::string(name));
  return make_objective(section);
}

}  // namespace aelab
