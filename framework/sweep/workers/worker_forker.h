// Workers forked from a pristine copy of the runner instead of executed anew. Executing the
// program again costs every worker LibTorch's start-up (loading the library and registering its
// operators: about 0.7 s here, more than a short job's training). The forker is a copy of the
// runner taken when its sweep starts, before it runs threads or touches a GPU; each worker is
// forked from that copy, so it still runs in a process of its own (a crash fails only its job)
// and starts in the state an executed worker would reach after loading. The runner is the
// workers' subreaper: it waits for them as for its own children.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace aelab {

/// A program's main, which a forked worker runs with the worker's arguments.
using ProgramMain = int (*)(int, char**);

/// The forker for the life of one sweep (one per process). It starts only where forking is
/// safe: when this process runs no other thread (a thread pool would not survive the fork).
/// Otherwise, or without `main`, workers are executed as before.
class WorkerForker {
 public:
  explicit WorkerForker(ProgramMain main);
  ~WorkerForker();  ///< ends the forker
  WorkerForker(const WorkerForker&) = delete;
  WorkerForker& operator=(const WorkerForker&) = delete;

 private:
  bool started_ = false;  ///< this one started the forker (and ends it)
};

/// Forks a worker that runs the forker's `main` with `arguments` (argv[0] first), with the
/// NAME=VALUE entries of `environment` set over this process's environment (what libraries read
/// when they load, such as OMP_NUM_THREADS, they have read already: set such things in `main`).
/// Returns its pid (a child of this process, in a process group of its own), or -1 when no
/// forker runs or it failed: execute the worker instead.
pid_t fork_worker(const std::vector<std::string>& arguments,
                  const std::vector<std::string>& environment);

/// Runs `main` in this process with `arguments` (argv[0] first), `environment` (`NAME=value`)
/// set first; returns its exit code. What a forked worker does in place of executing a program.
int run_main(ProgramMain main, std::vector<std::string> arguments,
             const std::vector<std::string>& environment);

/// The threads this process runs (from /proc; -1 where it cannot tell). A process of more than
/// one forks only a copy of the calling thread: what the others held (CUDA's state, a pool's
/// locks) is broken in the copy.
int threads_of_this_process();

/// Whether a forker runs (workers are forked, not executed).
bool worker_forker_running();

/// Why the forker of the current sweep did not start where one was asked for; "" otherwise.
const std::string& worker_forker_refusal();

/// Tells the forker module that waitpid returned `pid` (the forker itself, when it died).
void worker_forker_reaped(pid_t pid);

}  // namespace aelab
