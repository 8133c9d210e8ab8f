// One job in one process.
#include "framework/sweep/workers/job_worker.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "aelab_git_commit.h"
#include "framework/core/atomic_file.h"
#include "framework/core/error.h"
#include "framework/core/error_message.h"
#include "framework/core/host.h"
#include "framework/core/stop_request.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/training.h"
#include "framework/results/hdf5_file.h"
#include "framework/sweep/progress/job_claim.h"
#include "framework/sweep/workers/worker_processes.h"
#include "framework/train/blas_kernels.h"
#include "framework/train/device.h"

namespace aelab {

std::string run_file_path(const std::string& results_dir, const std::string& run_id) {
  return results_dir + "/runs/" + run_id + ".h5";
}

void write_job_file(const std::string& path, const Job& job) {
  ConfigNode file = ConfigNode::map();
  file.set("run_id", ConfigNode::string(job.run_id));
  file.set("index", ConfigNode::integer(job.index));
  ConfigNode overrides = ConfigNode::list();
  for (const auto& item : job.spec.overrides)
    overrides.items().push_back(ConfigNode::string(item.text));
  file.set("overrides", overrides);
  ConfigNode choices = ConfigNode::map();
  for (const auto& [group, option] : job.choices) choices.set(group, ConfigNode::string(option));
  file.set("choices", choices);
  file.set("config", job.config);
  // Several runners may write the same job file at once: each through a temporary of its own.
  write_file_atomically(path, [&](std::ostream& out) { out << to_yaml(file); });
}

Job read_job_file(const std::string& path) {
  ConfigNode file = load_yaml_file(path);
  const ConfigNode* config = file.get("config");
  const ConfigNode* run_id = file.get("run_id");
  if (!config || !run_id) throw ConfigError(path + ": not a job file (no config or run_id)");
  Job job;
  job.config = *config;
  job.config_yaml = to_yaml(job.config);
  job.run_id = run_id_of(job.config);
  if (job.run_id != run_id->as_string())
    throw ConfigError(path + ": run_id does not match its config (the file was edited)");
  job.index = file.get("index") ? file.get("index")->as_int() : 0;
  if (const ConfigNode* choices = file.get("choices"); choices && choices->is_map())
    for (const auto& [group, option] : choices->entries()) job.choices[group] = option.as_string();
  if (const ConfigNode* overrides = file.get("overrides"); overrides && overrides->is_list())
    for (const auto& text : overrides->items())
      job.spec.overrides.push_back(parse_override(text.as_string()));
  return job;
}

/// Writes a failed job's whole error text to `<results>/logs/<run_id>.log`; returns the path.
static std::string write_failure_log(const std::string& results_dir, const Job& job,
                                     const std::string& text) {
  const std::string path = results_dir + "/logs/" + job.run_id + ".log";
  std::error_code ignored;
  std::filesystem::create_directories(results_dir + "/logs", ignored);
  std::ofstream(path) << "job #" << job.index << ": " << job.spec.describe() << "\n"
                      << text << "\n";
  return path;
}

std::string this_build() {
  return fmt::format("aelab {}, LibTorch {}, {}", AELAB_GIT_COMMIT, TORCH_VERSION, blas_kernels());
}

static RunRecord base_record(const Job& job) {
  RunRecord record;
  record.run_id = job.run_id;
  record.config_yaml = job.config_yaml;
  record.overrides = job.spec.describe();
  record.seed = job.config.get("seed")->as_int();
  record.torch_version = TORCH_VERSION;
  record.blas = blas_kernels();
  record.git_commit = AELAB_GIT_COMMIT;
  record.host = host_name();
  record.device = job.config.get("device")->as_string();
  record.choices = job.choices;
  return record;
}

RunRecord failed_record(const Job& job, const std::string& error) {
  RunRecord record = base_record(job);
  record.status = "failed";
  record.error = error;
  return record;
}

RunRecord interrupted_record(const Job& job, const std::string& why) {
  RunRecord record = base_record(job);
  record.status = "interrupted";
  record.error = why;
  return record;
}

std::string run_job(const Job& job, const std::string& results_dir, RunContext context) {
  context.results_dir = results_dir;
  context.run_id = job.run_id;
  RunRecord record = base_record(job);
  record.threads = context.threads;
  context.clock = std::make_shared<RunClock>();
  try {
    set_cpu_threads(context.threads);
    auto experiment =
        experiment_registry().make_named(*job.config.get("experiment"), "experiment", context);
    experiment->run(job.config, context, record);
  } catch (const Interrupted& e) {  // the checkpoint of the last whole epoch is written
    record.status = "interrupted";
    record.error = e.what();
  } catch (const c10::Error& e) {  // one line; LibTorch's backtrace goes to the run's log
    std::string message = e.what_without_backtrace();
    record.status = "failed";
    record.error = "LibTorch: " + message.substr(0, message.find('\n')) +
                   " (full trace: " + write_failure_log(results_dir, job, e.what()) + ")";
  } catch (const std::exception& e) {
    record.status = "failed";
    record.error = one_line_message(e);
  }
  record.wall_seconds = context.clock->seconds();
  if (context.finished_training) record.wall_seconds += context.finished_training->seconds;
  // A worker pinned to a GPU sees it as cuda:0; the record names the GPU as the machine does.
  if (const char* gpu = std::getenv("AELAB_GPU"); gpu && record.device.rfind("cuda", 0) == 0)
    record.device = std::string("cuda:") + gpu;
  std::filesystem::create_directories(results_dir + "/runs");
  write_run_file(run_file_path(results_dir, job.run_id), record);
  // A finished run needs no checkpoint (its weights are in the run file) unless it was asked for;
  // a failed one starts again from nothing (the last epoch's could hold weights of a run whose
  // evaluation failed, of code changed since).
  const ConfigNode* keep = job.config.find("trainer.keep_checkpoint");
  const bool kept = keep && keep->as_bool() && record.status != "failed";
  if (record.status != "interrupted" && !kept) remove_checkpoints(context);
  // A job that ends after its runner died (it completed before it heard of the stop)
  // lists itself in summary.h5, which the runner would have rewritten; where that fails, the
  // next run of the sweep rewrites it.
  const ConfigNode* sweep_name = job.config.get("name");
  if (runner_gone() && sweep_name && sweep_name->is_scalar()) {
    try {
      write_summary(results_dir, sweep_name->text());
    } catch (const std::exception&) {  // left as it was
    }
  }
  return record.status;
}

int64_t run_file_stamp(const std::string& path) {
  std::error_code missing;
  auto time = std::filesystem::last_write_time(path, missing);
  if (missing) return 0;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

std::unique_ptr<JobClaim> claim_job(const Job& job, const std::string& results_dir,
                                    int64_t seen_stamp, int* refusal) {
  ClaimHolder holder;
  std::unique_ptr<JobClaim> claim = JobClaim::take(results_dir, job.run_id, &holder);
  if (!claim) {
    *refusal = kHeldElsewhere;
    return nullptr;
  }
  // Claimed: a run file written since the sweep looked was made by another process.
  const std::string path = run_file_path(results_dir, job.run_id);
  const std::string before = run_file_status(path);
  if (before == "completed" || before == "diverged" ||
      (before == "failed" && run_file_stamp(path) != seen_stamp)) {
    *refusal = kRanElsewhere;  // an `interrupted` run is resumed here
    return nullptr;
  }
  return claim;
}

void report_epochs_to(JobClaim* claim, RunContext& context) {
  context.on_epoch_start = [claim](const std::string& stage, int64_t epoch, int64_t of) {
    claim->epoch_started(stage, epoch, of);
  };
  context.on_epoch_end = [claim](const std::string& stage, int64_t epoch, int64_t of) {
    claim->epoch_done(stage, epoch, of);
  };
  context.on_activity = [claim](const std::string& activity) { claim->doing(activity); };
}

int run_claimed_job(const Job& job, const std::string& results_dir, RunContext context,
                    int64_t seen_stamp) {
  int refusal = kRunEnded;
  std::unique_ptr<JobClaim> claim = claim_job(job, results_dir, seen_stamp, &refusal);
  if (!claim) return refusal;
  report_epochs_to(claim.get(), context);
  const std::string status = run_job(job, results_dir, context);
  claim.reset();
  return status == "failed" ? kRunFailed : status == "interrupted" ? kRunInterrupted : kRunEnded;
}

}  // namespace aelab
