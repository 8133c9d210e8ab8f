// The worker forker: forked workers run the given main with their own arguments and environment,
// as children of the caller in process groups of their own; a crash ends only its worker; no
// forker starts beside other threads; and a sweep's forked workers write the runs that executed
// workers write.
#include "framework/sweep/workers/worker_forker.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <thread>

#include "tests/sweep/toy_data_sweep.h"

namespace aelab {
namespace {

/// A worker main: writes its arguments after the first, AELAB_FORKER_TEST, its parent's pid,
/// whether it leads its process group and its process name to the file argv[1], and exits with
/// 7; or kills itself when argv[1] is "crash".
int record_and_exit(int argc, char** argv) {
  if (std::string(argv[1]) == "crash") kill(getpid(), SIGKILL);
  std::ofstream out(argv[1]);
  for (int i = 2; i < argc; ++i) out << argv[i] << "\n";
  const char* value = std::getenv("AELAB_FORKER_TEST");
  std::string name;
  std::getline(std::ifstream("/proc/self/comm"), name);
  out << (value ? value : "(unset)") << "\n"
      << getppid() << "\n"
      << (getpgid(0) == getpid()) << "\n"
      << name;
  return 7;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int wait_for(pid_t pid) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid) << "the worker is not a child of its runner";
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(WorkerForker, ForkedWorkersRunMainAsChildrenOfTheCallerWithTheirOwnEnvironment) {
  testing::ScratchDir dir;
  WorkerForker forker(record_and_exit);
  ASSERT_TRUE(worker_forker_running()) << worker_forker_refusal();
  for (int i = 0; i < 3; ++i) {
    const std::string file = dir.file("worker" + std::to_string(i));
    const pid_t pid = fork_worker({"/bin/program", file, "two words", std::to_string(i)},
                                  {"AELAB_FORKER_TEST=a=" + std::to_string(i)});
    ASSERT_GT(pid, 0);
    EXPECT_EQ(wait_for(pid), 7);
    EXPECT_EQ(lines_of(file),
              (std::vector<std::string>{"two words", std::to_string(i), "a=" + std::to_string(i),
                                        std::to_string(getpid()), "1", "program"}));
  }
  EXPECT_EQ(std::getenv("AELAB_FORKER_TEST"), nullptr) << "the caller's environment changed";
}

TEST(WorkerForker, ACrashEndsOnlyItsWorker) {
  testing::ScratchDir dir;
  WorkerForker forker(record_and_exit);
  ASSERT_TRUE(worker_forker_running()) << worker_forker_refusal();
  const pid_t crashing = fork_worker({"program", "crash"}, {});
  ASSERT_GT(crashing, 0);
  EXPECT_EQ(wait_for(crashing), 128 + SIGKILL);
  const pid_t next = fork_worker({"program", dir.file("next")}, {});
  ASSERT_GT(next, 0);
  EXPECT_EQ(wait_for(next), 7);
}

TEST(WorkerForker, NoneStartsBesideOtherThreadsOrOutsideItsScope) {
  {
    WorkerForker forker(record_and_exit);
    ASSERT_TRUE(worker_forker_running()) << worker_forker_refusal();
  }
  EXPECT_FALSE(worker_forker_running());
  EXPECT_EQ(fork_worker({"program", "crash"}, {}), -1);
  std::promise<void> release;
  std::thread other([future = release.get_future()]() mutable { future.wait(); });
  {
    WorkerForker forker(record_and_exit);
    EXPECT_EQ(fork_worker({"program", "crash"}, {}), -1)
        << "forked a worker from a process with another thread";
    EXPECT_NE(worker_forker_refusal().find("runs threads"), std::string::npos);
  }
  release.set_value();
  other.join();
}

using ForkedSweep = testing::ToyDataSweep;

TEST_F(ForkedSweep, ForkedWorkersWriteTheRunsExecutedWorkersWrite) {
  const std::string args =
      "--jobs 2 model=mlp_ae encoder.hidden=[16] decoder.hidden=[16] seed=0,1 "
      "model.latent_dim=2,4 trainer.epochs=2";
  auto forked = sweep("forked", args);
  ASSERT_EQ(forked.exit_code, 0) << forked.output;
  EXPECT_NE(forked.output.find("running 4 job(s), 2 at a time"), std::string::npos)
      << forked.output;
  EXPECT_EQ(forked.output.find("executed anew"), std::string::npos)
      << "run_sweep did not fork its workers:\n"
      << forked.output;
  auto executed = sweep("executed", args + " --quiet launcher.fork_workers=false");
  ASSERT_EQ(executed.exit_code, 0) << executed.output;
  auto a = runs("forked"), b = runs("executed");
  ASSERT_EQ(a.size(), 4u);
  ASSERT_EQ(b.size(), 4u);
  for (const auto& [id, run] : a) {
    ASSERT_TRUE(b.count(id)) << id;
    const RunRecord& other = b.at(id);
    EXPECT_EQ(run.status, "completed") << run.error;
    EXPECT_EQ(run.config_yaml, other.config_yaml);
    EXPECT_EQ(run.threads, other.threads);
    EXPECT_EQ(run.metrics, other.metrics) << id;
    EXPECT_EQ(run.baselines, other.baselines) << id;
    for (const auto& [split, metrics] : run.history)
      for (const auto& [name, values] : metrics)
        if (name != "seconds") EXPECT_EQ(values, other.history.at(split).at(name)) << name;
    EXPECT_EQ(run.model_state, other.model_state) << id;
  }
}

}  // namespace
}  // namespace aelab
