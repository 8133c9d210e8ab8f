// Stop requests: a flag the signal handlers set and the long loops read.
#include "framework/core/stop_request.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <map>

namespace aelab {
namespace {

static_assert(std::atomic<int>::is_always_lock_free, "signal handlers need lock-free atomics");
static_assert(std::atomic<int64_t>::is_always_lock_free, "signal handlers need lock-free atomics");

std::atomic<int> requested_by{0};
std::atomic<int64_t> first_interrupt_ms{0};  ///< when the first SIGINT came; 0: none yet
std::atomic<bool> exit_on_second{false};
std::atomic<bool> no_second_exit{false};  // the runner has nothing left to stop at once
std::atomic<void (*)()> stop_hook{nullptr};
std::atomic<void (*)()> second_interrupt_hook{nullptr};
std::atomic<bool> say_closed_output{false};

/// A second SIGINT this soon after the first is the same Ctrl-C, delivered twice: `timeout -s
/// INT` and some schedulers signal the runner and then its whole process group.
constexpr int64_t kSameInterruptMs = 200;

int64_t monotonic_ms() {  // clock_gettime is async-signal-safe
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

/// Writes a message of the handler to stderr (write() is async-signal-safe; fputs is not).
template <size_t N>
void say_from_handler(const char (&message)[N]) {
  [[maybe_unused]] ssize_t written = write(STDERR_FILENO, message, N - 1);
}

/// A SIGINT of the runner: the first says what happens; a second, 200 ms or more later, ends the
/// process with exit code 130.
void on_interrupt() {
  // The first SIGINT is the one that sets the time (another thread may take the second at once).
  const int64_t now = std::max<int64_t>(monotonic_ms(), 1);
  int64_t no_interrupt_yet = 0;
  // Said at once: the wait is known.
  if (first_interrupt_ms.compare_exchange_strong(no_interrupt_yet, now)) {
    say_from_handler(
        "\ninterrupt: no new job starts, and running jobs save a checkpoint and stop (Ctrl-C "
        "again stops everything at once)\n");
    return;
  }
  if (now - first_interrupt_ms.load() < kSameInterruptMs || no_second_exit.load()) return;
  if (auto hook = second_interrupt_hook.load()) hook();
  say_from_handler("\nsecond interrupt: stopped at once\n");
  _exit(130);
}

extern "C" void on_stop_signal(int signal) {
  int none = 0;
  requested_by.compare_exchange_strong(none, signal);
  // Every later write to the closed pipe raises SIGPIPE again: the workers are told, and the
  // user, once.
  static std::atomic<bool> pipe_closed{false};
  if (signal == SIGPIPE && pipe_closed.exchange(true)) return;
  if (auto hook = stop_hook.load()) hook();
  if (signal == SIGPIPE) {
    if (say_closed_output.load())
      say_from_handler(
          "\nthe output's reader is gone (SIGPIPE, as after | head): no new job starts, and "
          "running jobs save a checkpoint and stop (the same command resumes them)\n");
    return;
  }
  if (!exit_on_second.load()) return;               // a worker: its runner speaks for it
  static std::atomic<bool> terminated_said{false};  // once, as the first Ctrl-C is said
  if (signal == SIGTERM && !terminated_said.exchange(true))
    say_from_handler(
        "\nSIGTERM: no new job starts, and running jobs save a checkpoint and stop (the same "
        "command resumes them)\n");
  if (signal == SIGUSR1 && !terminated_said.exchange(true))
    say_from_handler(
        "\nSIGUSR1 (a time limit near): no new job starts, and running jobs save a checkpoint "
        "and stop (the same command resumes them)\n");
  if (signal == SIGINT) on_interrupt();
}

/// Makes `signal` call on_stop_signal, without SA_RESTART (a blocked waitpid() returns).
void handle_with_stop(int signal) {
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(signal, &action, nullptr);
}

}  // namespace

void install_stop_handlers(bool second_interrupt_exits, void (*on_stop)(),
                           void (*on_second_interrupt)()) {
  exit_on_second = second_interrupt_exits;
  stop_hook = on_stop;
  second_interrupt_hook = on_second_interrupt;
  for (int signal : {SIGINT, SIGTERM, SIGUSR1}) handle_with_stop(signal);
  std::signal(SIGPIPE, SIG_IGN);
}

void second_interrupt_ends_nothing() { no_second_exit = true; }

void stop_when_output_closes(bool say_so) {
  say_closed_output = say_so;
  handle_with_stop(SIGPIPE);
}

bool stop_requested() { return requested_by.load() != 0; }

int stop_signal() {
  const int signal = requested_by.load();
  // A closed output is a stop like Ctrl-C, which is what the workers are told.
  if (signal == SIGPIPE) return SIGINT;
  return signal == SIGINT || signal == SIGUSR1 || signal == 0 ? signal : SIGTERM;
}

void request_stop(int signal) {
  int none = 0;
  requested_by.compare_exchange_strong(none, signal);
}

void throw_if_stop_requested(const std::string& where) {
  const int signal = requested_by.load();
  if (signal == 0) return;
  const bool named =
      signal == SIGINT || signal == SIGTERM || signal == SIGUSR1 || signal == SIGPIPE;
  throw Interrupted("interrupted by " + (named ? signal_name(signal) : "a stop request") + " " +
                    where);
}

std::string signal_name(int signal) {
  static const std::map<int, std::string> names = {
      {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},   {SIGILL, "SIGILL"},   {SIGABRT, "SIGABRT"},
      {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},   {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"},
      {SIGSEGV, "SIGSEGV"}, {SIGPIPE, "SIGPIPE"}, {SIGTERM, "SIGTERM"}, {SIGXCPU, "SIGXCPU"}};
  auto found = names.find(signal);
  return found == names.end() ? "signal " + std::to_string(signal) : found->second;
}

}  // namespace aelab
