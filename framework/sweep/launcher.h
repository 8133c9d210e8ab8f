// Launchers decide where and how a sweep's jobs run (Hydra's model): the runner hands one the
// pending jobs with their worker commands and hears back each job's exit. The local launcher
// runs worker processes on this machine (pinned to GPUs where there are some); the Slurm
// launcher submits one job array and returns. Each launcher is one file in launchers/.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "framework/core/registry.h"
#include "framework/sweep/workers/worker_processes.h"

namespace aelab {

/// What every launcher is built with.
struct LaunchContext {
  std::string program;      ///< the worker program (run_sweep itself)
  int64_t threads = 0;      ///< `--threads` (0: the launcher decides)
  int64_t jobs = 0;         ///< `--jobs` from the command line (0: the launcher's own setting)
  std::string results_dir;  ///< where job files, logs and run files go
  std::string sweep_name;
  std::string cache_dir;
  bool quiet = false;
  bool wants_gpus = false;  ///< some pending job may compute on a GPU, and CUDA sees one
  int64_t cuda_index = -1;  ///< the highest CUDA device a pending job names; -1: none does
};

/// One pending job as a launcher sees it.
struct LaunchedJob {
  int64_t index = 0;
  std::string run_id;
  std::string job_file;   ///< its frozen config
  WorkerCommand command;  ///< the worker command that runs it here
};

/// What the runner wants to hear while jobs run here.
struct LaunchHooks {
  std::function<void(size_t, int)> on_exit;  ///< job i ended with this worker exit code
  std::function<bool()> keep_starting;       ///< false: start no more jobs
  std::function<void()> on_wait;             ///< a few times a second while jobs run (optional)
  std::function<void(size_t)> on_start;      ///< job i's worker started (optional)
};

/// Base of launcher plugins (`launcher.name`).
class Launcher {
 public:
  virtual ~Launcher() = default;
  /// Runs the jobs, calling `hooks.on_exit(i, exit_code)` as job `i` ends (exit code 128+signal
  /// when killed), and returns when all started ones have ended; or, for a launcher that hands
  /// the jobs to a scheduler (`runs_here()` false), submits them and returns at once.
  virtual void launch(const std::vector<LaunchedJob>& jobs, const LaunchHooks& hooks) = 0;
  /// Whether jobs run under this process (false: a scheduler runs them later).
  virtual bool runs_here() const { return true; }
  /// Torch threads each worker gets.
  virtual int64_t threads() const = 0;
  /// Jobs a worker may train at once as one stacked model (1: each job alone).
  virtual int64_t stack() const { return 1; }
  /// Workers that run at once.
  virtual int64_t workers() const { return 1; }
  /// How `count` jobs will run, for the sweep's opening line (`2 at a time, 1 thread each`).
  virtual std::string describe(size_t count) const = 0;
  /// Checks what the launcher needs before anything is written (a scheduler's commands);
  /// throws ConfigError.
  virtual void check() const {}
  /// Of `run_ids` (the pending jobs'), those that an earlier launch into this results folder
  /// handed a scheduler that still holds them, queued or running, each with where (`Slurm array
  /// job 4242_3, PENDING`): the runner does not hand them over again. Empty for a launcher that
  /// runs the jobs here.
  virtual std::map<std::string, std::string> still_queued(
      const std::vector<std::string>& run_ids) const {
    (void)run_ids;
    return {};
  }
  /// What launch() would hand a scheduler for `count` jobs (its script), shown by --dry-run;
  /// empty for a launcher that runs the jobs here.
  virtual std::string submission_preview(size_t count) const {
    (void)count;
    return "";
  }
};

/// Registry of launcher plugins.
Registry<Launcher, LaunchContext>& launcher_registry();

/// Builds the launcher a normalized `launcher:` section names.
std::shared_ptr<Launcher> make_launcher(const ConfigNode& section, const LaunchContext& context);

}  // namespace aelab
