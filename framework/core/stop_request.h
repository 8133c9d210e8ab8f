// Stopping on request. SIGINT, SIGTERM and SIGUSR1 (Ctrl-C, `kill`, Slurm's requeue or
// preemption, and its time-limit warning) ask a process to stop cleanly: the trainer reads the
// request between batches, the run saves a checkpoint of its last whole epoch and ends as
// `interrupted`, and the same command run again resumes it.
#pragma once

#include <string>

#include "framework/core/error.h"

namespace aelab {

/// A run stopped on request (a signal); it is resumed, not failed.
class Interrupted : public Error {
 public:
  using Error::Error;
};

/// Makes SIGINT, SIGTERM and SIGUSR1 set the stop request. The handlers call `on_stop` at each
/// such signal; with `second_interrupt_exits`, a second SIGINT also calls `on_second_interrupt`
/// and ends the process with exit code 130 (one that comes within 200 ms of the first is the same
/// Ctrl-C delivered twice, and only stops). Both hooks run inside the signal handler
/// (async-signal-safe calls only). The handlers are installed without SA_RESTART, so a blocked
/// waitpid() returns and the caller sees the request.
/// SIGPIPE, a write to a pipe whose reader is gone, is ignored unless stop_when_output_closes()
/// follows: the write fails, and the process goes on. The setting survives exec.
void install_stop_handlers(bool second_interrupt_exits = false, void (*on_stop)() = nullptr,
                           void (*on_second_interrupt)() = nullptr);

/// After install_stop_handlers(true): a second SIGINT no longer ends the process (once there is
/// nothing left to stop at once); async-signal-safe.
void second_interrupt_ends_nothing();

/// After install_stop_handlers: SIGPIPE (`run_sweep ... | head` once head has its lines) also
/// requests a stop and calls `on_stop`, once; with `say_so` (the runner, not its workers, which
/// share its output) it says so on stderr, as the first Ctrl-C does.
void stop_when_output_closes(bool say_so);

/// Whether a stop was requested.
bool stop_requested();

/// The signal that requested the stop (SIGTERM for a request without one, SIGINT for a closed
/// output), or 0 when none did;
/// async-signal-safe. A runner passes it on to its workers, so their lines name what the user did.
int stop_signal();

/// Requests a stop as a signal would (tests, and a worker whose runner is gone).
void request_stop(int signal);

/// Throws Interrupted naming the signal and `where` (`in epoch 3`) when a stop was requested.
void throw_if_stop_requested(const std::string& where);

/// A signal's name, such as SIGSEGV (`signal 40` for one without a common name).
std::string signal_name(int signal);

}  // namespace aelab
