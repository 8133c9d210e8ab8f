// The local launcher: jobs as worker processes on this machine, each in its own process so one
// crash fails only its job. On CPUs: `jobs` at a time with cores / jobs torch threads each
// (on two cores, two single-threaded workers beat one with two). On GPUs: `jobs_per_device`
// workers per device of `devices` (default: every visible one), each pinned to its device
// with CUDA_VISIBLE_DEVICES.
#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <thread>

#include "framework/sweep/launcher.h"
#include "framework/sweep/workers/device_slots.h"
#include "framework/sweep/workers/worker_forker.h"

namespace aelab {

/// Options of the local launcher.
struct LocalLauncherOptions {
  int64_t jobs = 0;
  std::vector<int64_t> devices;
  int64_t jobs_per_device = 1;
  int64_t stack = 1;
  bool fork_workers = true;
  template <class V>
  void visit(V& v) {
    v("jobs", jobs, "worker processes at once on CPUs (0: one per core / --threads)", AtLeast{0});
    v("devices", devices, "GPUs to run on, as CUDA numbers them (empty: every visible one)");
    v("jobs_per_device", jobs_per_device, "worker processes at once on each GPU", AtLeast{1});
    v("stack", stack,
      "jobs a worker trains at once as one batched model (1: off); jobs stack when they differ "
      "only in seed, trainer.lr, trainer.weight_decay, model.latent_dim and noise settings, "
      "and use an mlp or linear autoencoder with adam or adamw",
      AtLeast{1});
    v("fork_workers", fork_workers,
      "fork each worker from a copy of the runner taken before its sweep starts, instead of "
      "executing the program again (which costs each job LibTorch's start-up)");
  }
};

namespace {

int64_t machine_cores() { return std::max<int64_t>(1, std::thread::hardware_concurrency()); }

}  // namespace

/// Worker processes on this machine.
class LocalLauncher : public Launcher {
 public:
  LocalLauncher(LocalLauncherOptions options, const LaunchContext& context)
      : context_(context), stack_(options.stack), fork_workers_(options.fork_workers) {
    // GPU slots when some job may use a GPU, or when devices are named (a CPU-only sweep on a
    // GPU machine runs `jobs` at a time).
    std::vector<int64_t> devices = options.devices;
    if (!devices.empty() && !torch::cuda::is_available())  // the slots still set the workers
      devices_without_cuda_ = fmt::format("{}", fmt::join(devices, ","));
    if (devices.empty() && context.wants_gpus)
      for (int64_t d = 0; d < static_cast<int64_t>(torch::cuda::device_count()); ++d)
        devices.push_back(d);
    const int64_t cores = machine_cores();
    if (!devices.empty()) {
      slots_ = device_slots(devices, options.jobs_per_device);
      parallel_ = static_cast<int64_t>(slots_.size());
      if (context.jobs > 0) parallel_ = std::min(parallel_, context.jobs);
      threads_ = context.threads > 0 ? context.threads : std::max<int64_t>(1, cores / parallel_);
      return;
    }
    int64_t jobs = context.jobs > 0 ? context.jobs : options.jobs;
    threads_ =
        context.threads > 0 ? context.threads : (jobs > 0 ? std::max<int64_t>(1, cores / jobs) : 1);
    parallel_ = jobs > 0 ? jobs : std::max<int64_t>(1, cores / threads_);
  }

  void launch(const std::vector<LaunchedJob>& jobs, const LaunchHooks& hooks) override {
    std::vector<WorkerCommand> commands;
    for (const auto& job : jobs) commands.push_back(job.command);
    WorkerPool pool{context_.program, parallel_, fork_workers_, nullptr};
    if (!slots_.empty())
      pool.slot_environment = [this](size_t slot) { return device_environment(slots_[slot]); };
    run_local_workers(pool, commands, hooks.on_exit, hooks.keep_starting, hooks.on_wait,
                      hooks.on_start);
  }

  void check() const override {
    if (!devices_without_cuda_.empty() && context_.cuda_index < 0)  // device=cuda: an error follows
      std::fputs(fmt::format("warning: launcher.devices=[{}]: this machine has no CUDA device, so "
                             "the jobs compute on the CPU, {} at a time\n",
                             devices_without_cuda_, parallel_)
                     .c_str(),
                 stderr);
  }

  int64_t threads() const override { return threads_; }
  int64_t stack() const override { return stack_; }
  int64_t workers() const override { return parallel_; }

  std::string describe(size_t count) const override {
    const int64_t at_once = std::min<int64_t>(parallel_, static_cast<int64_t>(count));
    std::string stacked =
        stack_ > 1 ? fmt::format(", up to {} stacked jobs per worker", stack_) : "";
    if (fork_workers_ && !worker_forker_refusal().empty())
      stacked += ", each executed anew (" + worker_forker_refusal() + ")";
    if (slots_.empty() || !devices_without_cuda_.empty()) {
      // More threads than cores (-j 3 on 2): allowed, but each job then runs slower.
      const int64_t cores = machine_cores();
      const std::string shared =
          at_once * threads_ > cores
              ? fmt::format(
                    " (more threads than this machine's {} cores: the jobs share them, "
                    "each slower)",
                    cores)
              : "";
      return fmt::format("{} at a time, {} thread(s) each{}{}", at_once, threads_, stacked, shared);
    }
    return fmt::format("{} at a time on {} GPU(s), {} per GPU{}", at_once,
                       slots_.back().device_position + 1, slots_.back().per_device, stacked);
  }

 private:
  LaunchContext context_;
  int64_t stack_ = 1;
  bool fork_workers_ = true;
  std::vector<DeviceSlot> slots_;     ///< empty: CPUs only
  std::string devices_without_cuda_;  ///< launcher.devices named where CUDA sees none
  int64_t parallel_ = 1;
  int64_t threads_ = 1;
};

AELAB_REGISTER_PLUGIN(launcher_registry(), "local", LocalLauncher, LocalLauncherOptions)
    .describe("worker processes on this machine: `jobs` at a time, or `jobs_per_device` per GPU");

}  // namespace aelab
