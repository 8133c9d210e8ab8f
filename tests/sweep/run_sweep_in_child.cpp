// run_sweep in a forked child of the test program.
#include "tests/sweep/run_sweep_in_child.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "framework/sweep/workers/worker_forker.h"
#include "tools/run_sweep_command.h"

namespace aelab::testing {

const char* const kActsAsRunSweep = "AELAB_TEST_ACTS_AS_RUN_SWEEP";

namespace {

/// The words /bin/sh splits `text` into.
std::vector<std::string> shell_words(const std::string& text) {
  wordexp_t expanded;
  if (int status = wordexp(text.c_str(), &expanded, 0); status != 0)
    throw std::runtime_error("cannot split into shell words (wordexp " + std::to_string(status) +
                             "): " + text);
  std::vector<std::string> words(expanded.we_wordv, expanded.we_wordv + expanded.we_wordc);
  wordfree(&expanded);
  return words;
}

[[noreturn]] void run_as_run_sweep(std::vector<std::string> arguments,
                                   const std::vector<std::string>& environment,
                                   const std::string& directory, const std::string& out,
                                   const std::string& err) {
  const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out_fd < 0 || err_fd < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
      dup2(err_fd, STDERR_FILENO) < 0 || chdir(directory.c_str()) != 0)
    _exit(127);
  close(out_fd);
  close(err_fd);
  std::vector<std::string> settings = environment;
  settings.push_back(std::string(kActsAsRunSweep) + "=1");
  const int code = run_main(run_sweep_main, std::move(arguments), settings);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  _exit(code);  // not exit(): the test program's static objects and handlers are not the child's
}

}  // namespace

CommandResult run_sweep(const std::string& arguments, const std::string& environment,
                        const std::string& directory) {
  // A program that has started threads (CUDA, once a test asked for a device) cannot fork a
  // working copy of itself: run_sweep runs as its own program then.
  if (threads_of_this_process() != 1)
    return run_command(environment + " " + tool_path("run_sweep") + " " + arguments, directory);
  std::vector<std::string> words = shell_words(arguments);
  words.insert(words.begin(), tool_path("run_sweep"));
  const std::vector<std::string> settings = shell_words(environment);
  ScratchDir logs;
  const std::string out = logs.file("out"), err = logs.file("err");
  // Else the child would write what this program had buffered into the captured output.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) run_as_run_sweep(std::move(words), settings, directory, out, err);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  return command_result(status, out, err);
}

}  // namespace aelab::testing
