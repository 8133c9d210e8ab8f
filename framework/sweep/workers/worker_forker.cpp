// The worker forker: a process forked from the runner at the start of its sweep that forks each
// worker on request. The runner sends a worker's arguments and environment over a socket; the
// forker forks a middle process, which forks the worker, passes its pid up and exits, so the
// worker is orphaned to the runner (its subreaper); then the forker sends the pid to the runner,
// whose waitpid sees the worker end.
#include "framework/sweep/workers/worker_forker.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

namespace aelab {

namespace {

constexpr char kForkerName[] = "aelab-forker";
int runner_end = -1;    ///< the runner's end of the socket to the forker; -1: no forker runs
pid_t forker_pid = -1;  ///< the forker, a child of the runner
ProgramMain forker_main = nullptr;  ///< what forked workers run
int subreaper_before = 0;           ///< the runner's subreaper flag before the forker started
std::string refusal;  ///< why the forker asked for did not start ("": it started, or none was)

/// Records why the forker did not start, from the errno of the call that failed.
void refuse_for_errno() {
  refusal = std::string("cannot start the copy they fork from: ") + std::strerror(errno);
}

bool write_all(int fd, const void* data, size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    // send: a closed socket fails the call instead of killing the process with SIGPIPE
    ssize_t written = send(fd, bytes, size, MSG_NOSIGNAL);
    if (written < 0 && errno == ENOTSOCK) written = write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

bool read_all(int fd, void* data, size_t size) {
  char* bytes = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t got = read(fd, bytes, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    bytes += got;
    size -= static_cast<size_t>(got);
  }
  return true;
}

/// A request: the counts of arguments and environment entries, then each string as its length
/// and bytes.
std::string encode_request(const std::vector<std::string>& arguments,
                           const std::vector<std::string>& environment) {
  std::string message;
  auto put = [&message](size_t value) {
    const auto word = static_cast<uint32_t>(value);
    message.append(reinterpret_cast<const char*>(&word), sizeof word);
  };
  put(arguments.size());
  put(environment.size());
  for (const auto* strings : {&arguments, &environment})
    for (const auto& text : *strings) {
      put(text.size());
      message += text;
    }
  return message;
}

bool read_strings(int socket, uint32_t count, std::vector<std::string>& strings) {
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t size = 0;
    if (!read_all(socket, &size, sizeof size)) return false;
    std::string text(size, '\0');
    if (size > 0 && !read_all(socket, text.data(), size)) return false;
    strings.push_back(std::move(text));
  }
  return true;
}

[[noreturn]] void become_worker(pid_t middle, std::vector<std::string> arguments,
                                const std::vector<std::string>& environment) {
  setpgid(0, 0);  // a process group of its own, as an executed worker has
  const std::string program = arguments.front().substr(arguments.front().rfind('/') + 1);
  prctl(PR_SET_NAME, program.substr(0, 15).c_str());  // the name an executed worker has
  // Wait until the middle process has gone and this worker is the runner's child: the worker
  // reads its parent to learn whether its runner still lives.
  while (getppid() == middle) usleep(100);
  const int code = run_main(forker_main, std::move(arguments), environment);
  std::cout.flush();
  std::exit(code);
}

[[noreturn]] void serve(int socket) {
  for (;;) {
    uint32_t counts[2] = {0, 0};
    std::vector<std::string> arguments, environment;
    if (!read_all(socket, counts, sizeof counts) || !read_strings(socket, counts[0], arguments) ||
        !read_strings(socket, counts[1], environment))
      _exit(0);          // the runner closed its end: the sweep is over
    int32_t reply = -1;  // the worker's pid, sent once the middle process is gone
    int pid_pipe[2];
    if (pipe2(pid_pipe, O_CLOEXEC) == 0) {
      const pid_t middle = fork();
      if (middle == 0) {
        const pid_t self = getpid();
        const pid_t worker = fork();
        if (worker == 0) {
          close(socket);
          close(pid_pipe[0]);
          close(pid_pipe[1]);
          become_worker(self, std::move(arguments), environment);
        }
        const int32_t forked = worker > 0 ? worker : -1;
        write_all(pid_pipe[1], &forked, sizeof forked);
        _exit(0);
      }
      close(pid_pipe[1]);
      if (middle > 0) {
        if (!read_all(pid_pipe[0], &reply, sizeof reply)) reply = -1;
        while (waitpid(middle, nullptr, 0) < 0 && errno == EINTR) {
        }
      }
      close(pid_pipe[0]);
    }
    if (!write_all(socket, &reply, sizeof reply)) _exit(0);
  }
}

void stop_forker() {
  if (runner_end < 0) return;
  close(runner_end);
  runner_end = -1;
  if (forker_pid > 0)
    while (waitpid(forker_pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  forker_pid = -1;
}

}  // namespace

WorkerForker::WorkerForker(ProgramMain main) {
  if (!main || runner_end >= 0) return;
  if (threads_of_this_process() != 1) {
    refusal = "this process runs threads, so it cannot fork them";
    return;
  }
  prctl(PR_GET_CHILD_SUBREAPER, &subreaper_before);
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
    refuse_for_errno();
    return;
  }
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    refuse_for_errno();
    close(ends[0]);
    close(ends[1]);
    return;
  }
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);  // else the copy would print what this process had not yet written
  forker_main = main;
  const pid_t runner = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    close(ends[0]);
    setpgid(0, 0);  // out of the terminal's process group: Ctrl-C is the runner's to pass on
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    prctl(PR_SET_NAME, kForkerName);  // what ps -e and top call it, beside its workers
    if (getppid() != runner) _exit(0);
    serve(ends[1]);
  }
  close(ends[1]);
  if (pid < 0) {
    refuse_for_errno();
    close(ends[0]);
    prctl(PR_SET_CHILD_SUBREAPER, subreaper_before);
    return;
  }
  runner_end = ends[0];
  forker_pid = pid;
  started_ = true;
}

WorkerForker::~WorkerForker() {
  refusal.clear();
  if (!started_) return;
  stop_forker();
  prctl(PR_SET_CHILD_SUBREAPER, subreaper_before);
}

int run_main(ProgramMain main, std::vector<std::string> arguments,
             const std::vector<std::string>& environment) {
  for (const auto& setting : environment) {
    const size_t equals = setting.find('=');
    if (equals != std::string::npos)
      setenv(setting.substr(0, equals).c_str(), setting.c_str() + equals + 1, 1);
  }
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  return main(static_cast<int>(arguments.size()), argv.data());
}

int threads_of_this_process() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  return -1;
}

bool worker_forker_running() { return runner_end >= 0; }

const std::string& worker_forker_refusal() { return refusal; }

void worker_forker_reaped(pid_t pid) {
  if (pid != forker_pid || pid <= 0) return;
  forker_pid = -1;  // its pid may be reused: never wait for it again
  stop_forker();
}

pid_t fork_worker(const std::vector<std::string>& arguments,
                  const std::vector<std::string>& environment) {
  if (runner_end < 0) return -1;
  const std::string request = encode_request(arguments, environment);
  int32_t reply = -1;
  if (!write_all(runner_end, request.data(), request.size()) ||
      !read_all(runner_end, &reply, sizeof reply)) {
    // It died: execute workers from now on. Had it forked this worker before dying, the
    // executed copy finds the job claimed and leaves it to that one.
    stop_forker();
    return -1;
  }
  return reply > 0 ? static_cast<pid_t>(reply) : -1;
}

}  // namespace aelab
