// Launchers decide where and how a sweep's jobs run (Hydra's model): the runner hands one the
// worker commands of the pending jobs and hears back each job's exit. The local launcher runs
// worker processes on this machine; a GPU or Slurm launcher is one more file in launchers/.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "framework/core/registry.h"
#include "framework/sweep/worker_processes.h"

namespace aelab {

/// What every launcher is built with.
struct LaunchContext {
  std::string program;      ///< the worker program (run_sweep itself)
  int64_t threads = 1;      ///< torch threads per worker
  int64_t jobs = 0;         ///< `--jobs` from the command line (0: the launcher's own setting)
  std::string results_dir;  ///< where job files, logs and run files go
};

/// Base of launcher plugins (`launcher.name`).
class Launcher {
 public:
  virtual ~Launcher() = default;
  /// Runs every command, calling `on_exit(i, exit_code)` as job `i` ends (exit code 128+signal
  /// when killed); returns when all have ended.
  virtual void launch(const std::vector<WorkerCommand>& commands,
                      const std::function<void(size_t, int)>& on_exit) = 0;
  /// How `count` jobs will run, for the sweep's opening line (`2 at a time, 1 thread each`).
  virtual std::string describe(size_t count) const = 0;
};

/// Registry of launcher plugins.
Registry<Launcher, LaunchContext>& launcher_registry();

/// Builds the launcher a normalized `launcher:` section names.
std::shared_ptr<Launcher> make_launcher(const ConfigNode& section, const LaunchContext& context);

}  // namespace aelab
