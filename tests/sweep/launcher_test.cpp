// Launchers without a cluster or a GPU: GPU slots and the environment that pins a worker, the
// local launcher's placement of workers on them, job claims (held, released, taken over from a
// dead or silent holder), and stop requests.
#include "framework/sweep/launcher.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <torch/cuda.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "framework/core/stop_request.h"
#include "framework/sweep/progress/job_claim.h"
#include "framework/sweep/workers/device_slots.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

TEST(DeviceSlots, AlternateDevicesAndPinEachWorker) {
  std::vector<DeviceSlot> slots = device_slots({0, 3}, 2);
  ASSERT_EQ(slots.size(), 4u);
  EXPECT_EQ(slots[0].device, 0);
  EXPECT_EQ(slots[1].device, 3);
  EXPECT_EQ(slots[2].device, 0);
  EXPECT_EQ(slots[3].device, 3);
  EXPECT_EQ(device_environment(slots[1]),
            (std::vector<std::string>{"CUDA_VISIBLE_DEVICES=3", "AELAB_GPU=3"}));
}

TEST(LocalLauncher, SaysWhenItsJobsShareTheCores) {
  testing::ScratchDir dir;
  const int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
  ConfigNode section = ConfigNode::map();
  section.set("name", ConfigNode::string("local"));
  auto described = [&](int64_t jobs) {
    section.set("jobs", ConfigNode::integer(jobs));
    LaunchContext context{"/bin/sh", 1, 0, dir.path(), "test", dir.file("cache"), true, false};
    return make_launcher(section, context)->describe(static_cast<size_t>(cores + 1));
  };
  EXPECT_EQ(described(cores), std::to_string(cores) + " at a time, 1 thread(s) each");
  EXPECT_EQ(described(cores + 1), std::to_string(cores + 1) +
                                      " at a time, 1 thread(s) each (more threads than this "
                                      "machine's " +
                                      std::to_string(cores) +
                                      " cores: the jobs share them, each slower)");
}

TEST(LocalLauncher, RunsJobsPerDeviceEachPinnedToItsGpu) {
  testing::ScratchDir dir;
  ConfigNode section = ConfigNode::map();
  section.set("name", ConfigNode::string("local"));
  section.set("jobs", ConfigNode::integer(0));
  ConfigNode devices = ConfigNode::list();
  devices.items() = {ConfigNode::integer(0), ConfigNode::integer(1)};
  section.set("devices", devices);
  section.set("jobs_per_device", ConfigNode::integer(2));
  LaunchContext context{"/bin/sh", 1, 0, dir.path(), "test", dir.file("cache"), true, false};
  auto launcher = make_launcher(section, context);
  // Where CUDA sees no GPU, the slots lay out the workers all the same, on the CPU.
  const std::string described = launcher->describe(8);
  EXPECT_EQ(described.rfind(torch::cuda::is_available() ? "4 at a time on 2 GPU(s), 2 per GPU"
                                                        : "4 at a time, 1 thread(s) each",
                            0),
            0u)
      << described;
  // Eight jobs, each long enough that four run at once; each writes the GPU it was given.
  std::vector<LaunchedJob> jobs;
  for (int i = 0; i < 8; ++i) {
    LaunchedJob job;
    job.index = i;
    job.command.arguments = {"-c", "echo $CUDA_VISIBLE_DEVICES $AELAB_GPU > " +
                                       dir.file("job" + std::to_string(i)) + "; sleep 0.2"};
    jobs.push_back(job);
  }
  std::vector<int> codes(8, -1);
  launcher->launch(jobs, {[&](size_t i, int code) { codes[i] = code; }, nullptr});
  std::map<std::string, int> per_gpu;
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(codes[i], 0);
    std::string visible, recorded;
    std::ifstream(dir.file("job" + std::to_string(i))) >> visible >> recorded;
    EXPECT_EQ(visible, recorded);
    ++per_gpu[visible];
  }
  // The first four start on 0, 1, 0, 1; later ones take whichever slot frees first.
  EXPECT_EQ(per_gpu.size(), 2u);
  EXPECT_EQ(per_gpu["0"] + per_gpu["1"], 8);
  EXPECT_GE(per_gpu["0"], 2);
  EXPECT_GE(per_gpu["1"], 2);
}

TEST(JobClaim, IsHeldUntilReleasedAndTakenOverFromTheDead) {
  testing::ScratchDir dir;
  {
    auto claim = JobClaim::take(dir.path(), "run1");
    ASSERT_NE(claim, nullptr);
    claim->epoch_done("", 3, 10);
    ClaimHolder holder;
    EXPECT_EQ(JobClaim::take(dir.path(), "run1", &holder), nullptr);
    EXPECT_EQ(holder.pid, getpid());
    EXPECT_EQ(holder.epoch, 3);
    EXPECT_EQ(holder.epochs, 10);
    EXPECT_EQ(holder.resumed_from, 2);  // its first epoch here was the 3rd: a resumed run
    claim->epoch_done("", 4, 10);
    EXPECT_EQ(read_claim(dir.path(), "run1")->resumed_from, 2);
    EXPECT_EQ(describe_stage(*read_claim(dir.path(), "run1")), "after epoch 4/10");
    claim->epoch_started("", 5, 10);  // the epoch running now, as --status shows it
    EXPECT_EQ(describe_stage(*read_claim(dir.path(), "run1")), "epoch 5/10");
    claim->epoch_started("raw classifier", 2, 4);  // one of a run's several trainings
    EXPECT_EQ(describe_stage(*read_claim(dir.path(), "run1")), "raw classifier epoch 2/4");
    EXPECT_EQ(read_claim(dir.path(), "run1")->epoch, 4);
    // After the last epoch of another training than the run's own, another may follow: not
    // "evaluating".
    claim->epoch_done("pretraining", 2, 2);
    EXPECT_EQ(describe_stage(*read_claim(dir.path(), "run1")), "after pretraining epoch 2/2");
    // What the run said it does between epochs, until the next epoch begins.
    claim->doing("clustering the test codes (k-means)");
    EXPECT_EQ(describe_stage(*read_claim(dir.path(), "run1")),
              "clustering the test codes (k-means)");
    claim->epoch_started("classifier", 1, 6);
    EXPECT_EQ(describe_stage(*read_claim(dir.path(), "run1")), "classifier epoch 1/6");
  }
  EXPECT_FALSE(read_claim(dir.path(), "run1").has_value());  // released
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  // A holder on this host whose process is gone.
  dir.write("claims/run2.claim", std::string("host ") + host +
                                     "\npid 999999999\nprocess_start 1\nsince 0\nheartbeat 0\n");
  EXPECT_TRUE(holder_gone(*read_claim(dir.path(), "run2")));
  EXPECT_NE(JobClaim::take(dir.path(), "run2"), nullptr);
  // A holder that has ended but is not yet reaped (a zombie, as a worker killed as its runner
  // exits is for a moment) holds its claim no longer.
  const pid_t zombie = fork();
  if (zombie == 0) _exit(0);
  std::string stat, state;
  for (int look = 0; look < 500 && state != "Z"; ++look) {  // until it has exited
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::getline(std::ifstream("/proc/" + std::to_string(zombie) + "/stat"), stat);
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    fields >> state;
  }
  ASSERT_EQ(state, "Z") << stat;
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string started;
  for (int field = 3; field <= 22; ++field) fields >> started;  // field 22: its start time
  dir.write("claims/run5.claim", std::string("host ") + host + "\npid " + std::to_string(zombie) +
                                     "\nprocess_start " + started + "\nsince 0\nheartbeat 0\n");
  EXPECT_TRUE(holder_gone(*read_claim(dir.path(), "run5")));
  waitpid(zombie, nullptr, 0);
  // This host before a reboot: its pid may be alive again as another process.
  dir.write("claims/run4.claim", std::string("host ") + host + "\nboot_id not-this-boot\npid " +
                                     std::to_string(getpid()) + "\nprocess_start 1\n");
  EXPECT_TRUE(holder_gone(*read_claim(dir.path(), "run4")));
  // On another host: alive while its heartbeat is fresh, gone once it is old.
  const double now = static_cast<double>(time(nullptr));
  dir.write("claims/run3.claim", "host elsewhere\npid 1\nprocess_start 1\nsince 0\nheartbeat " +
                                     std::to_string(now) + "\n");
  EXPECT_EQ(JobClaim::take(dir.path(), "run3"), nullptr);
  dir.write("claims/run3.claim", "host elsewhere\npid 1\nprocess_start 1\nsince 0\nheartbeat " +
                                     std::to_string(now - kClaimStaleSeconds - 10) + "\n");
  EXPECT_NE(JobClaim::take(dir.path(), "run3"), nullptr);
}

// In a child process of its own: the stop request is for the whole process, for good.
TEST(StopRequest, InterruptsNamingTheSignal) {
  EXPECT_EXIT(
      {
        throw_if_stop_requested("in epoch 1");  // none yet
        request_stop(SIGUSR1);
        try {
          throw_if_stop_requested("in epoch 4");
        } catch (const Interrupted& e) {
          std::exit(std::string(e.what()) == "interrupted by SIGUSR1 in epoch 4" ? 0 : 1);
        }
        std::exit(2);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace aelab
