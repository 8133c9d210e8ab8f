// The experiment registry and what each experiment declares.
#include <map>
#include <set>

#include "framework/experiment/experiment.h"

namespace aelab {

Registry<Experiment, RunContext>& experiment_registry() {
  static Registry<Experiment, RunContext> registry("experiment");
  return registry;
}

static std::map<std::string, ExperimentDeclaration>& declarations() {
  static std::map<std::string, ExperimentDeclaration> by_experiment;
  return by_experiment;
}

bool declare_experiment(const std::string& experiment_name, ExperimentDeclaration declaration) {
  declarations()[experiment_name] = std::move(declaration);
  return true;
}

const ExperimentDeclaration& experiment_declaration(const std::string& experiment_name) {
  auto it = declarations().find(experiment_name);
  if (it == declarations().end())
    throw Error("experiment '" + experiment_name +
                "' is registered without declare_experiment() beside it (its sections)");
  return it->second;
}

const ExperimentDeclaration& experiment_declaration_of(const ConfigNode& config) {
  return experiment_declaration(config.find("experiment.name")->as_string());
}

std::vector<std::string> all_experiment_sections() {
  std::set<std::string> all;
  for (const auto& [name, declaration] : declarations())
    for (const auto& use : declaration.sections) all.insert(use.key);
  return {all.begin(), all.end()};
}

void drop_unread_keys(const ExperimentDeclaration& declaration, ConfigNode& config) {
  if (!declaration.unread_keys) return;
  for (const std::string& key : declaration.unread_keys(config)) {
    const size_t dot = key.rfind('.');
    if (dot == std::string::npos) {  // a whole section
      config.remove(key);
    } else if (ConfigNode* section = config.find(key.substr(0, dot))) {
      section->remove(key.substr(dot + 1));
    }
  }
}

}  // namespace aelab
