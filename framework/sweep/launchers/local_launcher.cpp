// The local launcher: jobs as worker processes on this machine, `jobs` at a time, each with
// `--threads` torch threads (on two cores, two single-threaded workers beat one with two).
#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "framework/sweep/launcher.h"

namespace aelab {

/// Options of the local launcher.
struct LocalLauncherOptions {
  int64_t jobs = 0;
  template <class V>
  void visit(V& v) {
    v("jobs", jobs, "worker processes at once (0: one per core / --threads)", AtLeast{0});
  }
};

/// Worker processes on this machine.
class LocalLauncher : public Launcher {
 public:
  LocalLauncher(LocalLauncherOptions options, const LaunchContext& context) : context_(context) {
    int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
    int64_t jobs = context.jobs > 0 ? context.jobs : options.jobs;
    parallel_ = jobs > 0 ? jobs : std::max<int64_t>(1, cores / context.threads);
  }

  void launch(const std::vector<WorkerCommand>& commands,
              const std::function<void(size_t, int)>& on_exit) override {
    run_local_workers(context_.program, commands, parallel_, on_exit);
  }

  std::string describe(size_t count) const override {
    return fmt::format("{} at a time, {} thread(s) each",
                       std::min<int64_t>(parallel_, static_cast<int64_t>(count)), context_.threads);
  }

 private:
  LaunchContext context_;
  int64_t parallel_ = 1;
};

AELAB_REGISTER_PLUGIN(launcher_registry(), "local", LocalLauncher, LocalLauncherOptions)
    .describe("worker processes on this machine, `jobs` at a time");

}  // namespace aelab
