// Local worker processes: forked by the sweep's forker, or started with posix_spawn; both waited
// for with waitpid.
#include "framework/sweep/workers/worker_processes.h"

#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>

#include "framework/core/error.h"
#include "framework/core/stop_request.h"
#include "framework/sweep/workers/worker_forker.h"

extern char** environ;

namespace aelab {

namespace {

/// The pids of running workers, for the signal handler that kills them all.
std::array<std::atomic<pid_t>, 1024> running_pids{};

void remember(pid_t pid) {
  for (auto& slot : running_pids) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}

void forget(pid_t pid) {
  for (auto& slot : running_pids) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

pid_t start_worker(const WorkerPool& pool, const WorkerCommand& command, size_t slot) {
  std::vector<std::string> arguments{pool.program};
  arguments.insert(arguments.end(), command.arguments.begin(), command.arguments.end());
  std::vector<std::string> extra = command.environment;
  if (pool.slot_environment) {
    const auto pinned = pool.slot_environment(slot);
    extra.insert(extra.end(), pinned.begin(), pinned.end());
  }
  extra.push_back("AELAB_RUNNER_PID=" + std::to_string(getpid()));
  if (pool.forked)
    if (pid_t pid = fork_worker(arguments, extra); pid > 0) return pid;
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment;
  for (char** entry = environ; *entry; ++entry) environment.emplace_back(*entry);
  for (const auto& setting : extra) {
    std::string name = setting.substr(0, setting.find('=') + 1);
    for (auto& entry : environment)
      if (entry.rfind(name, 0) == 0) entry.clear();
    environment.push_back(setting);
  }
  std::vector<char*> envp;
  for (auto& entry : environment)
    if (!entry.empty()) envp.push_back(entry.data());
  envp.push_back(nullptr);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  int status =
      posix_spawn(&pid, pool.program.c_str(), nullptr, &attributes, argv.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  if (status != 0)
    throw Error("cannot start worker " + pool.program + ": " + std::strerror(status));
  return pid;
}

}  // namespace

std::string current_program() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

void kill_running_workers() {
  for (auto& slot : running_pids)
    if (pid_t pid = slot.load(); pid > 0) kill(pid, SIGKILL);
}

void stop_running_workers() {
  for (auto& slot : running_pids)
    if (pid_t pid = slot.load(); pid > 0) kill(pid, stop_signal());
}

bool runner_gone() {
  const char* runner = std::getenv("AELAB_RUNNER_PID");
  return runner && getppid() != static_cast<pid_t>(std::atoll(runner));
}

void stop_with_runner() {
  if (!std::getenv("AELAB_RUNNER_PID")) return;
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (runner_gone()) request_stop(SIGTERM);  // it died before the line above
}

size_t run_local_workers(const WorkerPool& pool, const std::vector<WorkerCommand>& commands,
                         const std::function<void(size_t, int)>& on_exit,
                         const std::function<bool()>& keep_starting,
                         const std::function<void()>& on_wait,
                         const std::function<void(size_t)>& on_start) {
  const int64_t parallel = pool.parallel;
  std::map<pid_t, size_t> running;
  std::map<pid_t, size_t> slot_of;
  std::vector<bool> slot_busy(static_cast<size_t>(parallel), false);
  size_t next = 0;
  bool stop_passed_on = false;
  int64_t looks = 0;  // of waitpid that found no worker ended
  auto may_start = [&] {
    return next < commands.size() && !stop_requested() && (!keep_starting || keep_starting());
  };
  while (may_start() || !running.empty()) {
    while (may_start() && static_cast<int64_t>(running.size()) < parallel) {
      const size_t slot = static_cast<size_t>(std::find(slot_busy.begin(), slot_busy.end(), false) -
                                              slot_busy.begin());
      pid_t pid = start_worker(pool, commands[next], slot);
      slot_busy[slot] = true;
      slot_of[pid] = slot;
      running[pid] = next;
      remember(pid);
      if (on_start) on_start(next);
      ++next;
    }
    if (stop_requested() && !stop_passed_on) {
      for (const auto& entry : running) kill(entry.first, stop_signal());
      stop_passed_on = true;
    }
    if (running.empty()) break;
    int status = 0;
    pid_t pid = waitpid(-1, &status, on_wait ? WNOHANG : 0);
    if (pid == 0) {  // none ended yet: a look every 20 ms, on_wait every 200 ms
      if (++looks % 10 == 0) on_wait();
      timespec pause{0, 20 * 1000 * 1000};
      nanosleep(&pause, nullptr);  // a signal ends it early, and the loop sees the stop
      continue;
    }
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw Error(std::string("waiting for workers failed: ") + std::strerror(errno));
    }
    auto it = running.find(pid);
    if (it == running.end()) {
      worker_forker_reaped(pid);
      continue;
    }
    size_t index = it->second;
    running.erase(it);
    slot_busy[slot_of[pid]] = false;
    slot_of.erase(pid);
    forget(pid);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    on_exit(index, code);
  }
  return next;
}

}  // namespace aelab
