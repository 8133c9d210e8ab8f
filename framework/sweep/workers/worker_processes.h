// Worker processes on this machine, a fixed number at a time: what the local launcher (and any
// launcher that starts processes here) runs jobs with. Each worker runs in its own process
// group, so a terminal's Ctrl-C reaches only the runner, which passes the signal it got on to
// each worker (they checkpoint and end as `interrupted`); a worker gets SIGTERM when its runner
// dies, even by `kill -9`.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace aelab {

/// One worker process to start: its arguments after the program path and extra environment.
struct WorkerCommand {
  std::vector<std::string> arguments;
  std::vector<std::string> environment;  ///< extra NAME=VALUE entries
};

/// How run_local_workers starts its workers.
struct WorkerPool {
  std::string program;   ///< the worker program (run_sweep itself)
  int64_t parallel = 1;  ///< workers at once, each in one of `parallel` slots
  /// Fork workers from the sweep's WorkerForker where one runs (else execute `program`).
  bool forked = true;
  /// When given, adds to the environment of the worker in a slot (the GPU it is pinned to).
  std::function<std::vector<std::string>(size_t)> slot_environment;
};

/// Starts up to `pool.parallel` workers at once; calls `on_exit(i, exit_code)` as worker `i`
/// ends (exit code 128+signal when killed). Starts no more once a stop is requested (a signal)
/// or `keep_starting` (when given) says false; returns when every started worker has ended,
/// with the number of commands started. `on_wait` (when given) is called about five times a
/// second while workers run, and `on_start(i)` (when given) as worker `i` starts.
size_t run_local_workers(const WorkerPool& pool, const std::vector<WorkerCommand>& commands,
                         const std::function<void(size_t, int)>& on_exit,
                         const std::function<bool()>& keep_starting = nullptr,
                         const std::function<void()>& on_wait = nullptr,
                         const std::function<void(size_t)>& on_start = nullptr);

/// SIGKILLs every running worker (async-signal-safe: for a second Ctrl-C).
void kill_running_workers();

/// Sends every running worker the signal that stopped the runner (stop_signal(): Ctrl-C's
/// SIGINT, SIGTERM or Slurm's SIGUSR1), so it checkpoints and stops, and its line names what
/// happened (async-signal-safe: the runner's signal handler passes a stop request on at once).
void stop_running_workers();

/// Called by a worker at start: a stop request arrives (SIGTERM) when its runner dies.
void stop_with_runner();

/// Whether this process is a worker whose runner has died (it keeps summary.h5 no longer).
bool runner_gone();

/// Path of the running program (to start copies of it as workers).
std::string current_program();

}  // namespace aelab
