// Local worker processes with posix_spawn and waitpid.
#include "framework/sweep/worker_processes.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "framework/core/error.h"

extern char** environ;

namespace aelab {

std::string current_program() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

static pid_t spawn_worker(const std::string& program, const WorkerCommand& command) {
  std::vector<std::string> arguments{program};
  arguments.insert(arguments.end(), command.arguments.begin(), command.arguments.end());
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment;
  for (char** entry = environ; *entry; ++entry) environment.emplace_back(*entry);
  for (const auto& extra : command.environment) {
    std::string name = extra.substr(0, extra.find('=') + 1);
    for (auto& entry : environment)
      if (entry.rfind(name, 0) == 0) entry.clear();
    environment.push_back(extra);
  }
  std::vector<char*> envp;
  for (auto& entry : environment)
    if (!entry.empty()) envp.push_back(entry.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  int status = posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), envp.data());
  if (status != 0) throw Error("cannot start worker " + program + ": " + std::strerror(status));
  return pid;
}

void run_local_workers(const std::string& program, const std::vector<WorkerCommand>& commands,
                       int64_t parallel, const std::function<void(size_t, int)>& on_exit) {
  std::map<pid_t, size_t> running;
  size_t next = 0;
  while (next < commands.size() || !running.empty()) {
    while (next < commands.size() && static_cast<int64_t>(running.size()) < parallel) {
      running[spawn_worker(program, commands[next])] = next;
      ++next;
    }
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw Error(std::string("waiting for workers failed: ") + std::strerror(errno));
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    size_t index = it->second;
    running.erase(it);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    on_exit(index, code);
  }
}

}  // namespace aelab
