// The launcher registry.
#include "framework/sweep/launcher.h"

namespace aelab {

Registry<Launcher, LaunchContext>& launcher_registry() {
  static Registry<Launcher, LaunchContext> registry("launcher");
  return registry;
}

std::shared_ptr<Launcher> make_launcher(const ConfigNode& section, const LaunchContext& context) {
  return launcher_registry().make_named(section, "launcher", context);
}

}  // namespace aelab
