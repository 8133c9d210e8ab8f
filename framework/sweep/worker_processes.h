// Worker processes on this machine, a fixed number at a time: what the local launcher (and any
// launcher that starts processes here) runs jobs with.
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

/// Starts up to `parallel` workers at once; calls `on_exit(i, exit_code)` as worker `i` ends
/// (exit code 128+signal when killed).
void run_local_workers(const std::string& program, const std::vector<WorkerCommand>& commands,
                       int64_t parallel, const std::function<void(size_t, int)>& on_exit);

/// Path of the running program (to start copies of it as workers).
std::string current_program();

}  // namespace aelab
