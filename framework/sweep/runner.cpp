// Sweep runner.
#include "framework/sweep/runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "framework/core/yaml_io.h"
#include "framework/experiment/experiment.h"
#include "framework/results/result_table.h"
#include "framework/results/run_record.h"
#include "framework/sweep/job_worker.h"
#include "framework/sweep/launcher.h"
#include "framework/sweep/preflight.h"
#include "framework/sweep/sweep_eta.h"
#include "framework/sweep/worker_processes.h"

namespace fs = std::filesystem;

namespace aelab {

namespace {

void say(const std::string& line) {
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
}

const ExperimentDeclaration& declaration_of(const Job& job) {
  return experiment_declaration(job.config.find("experiment.name")->as_string());
}

/// `[#3] completed  test/sse 10.03  baseline/pca/test/sse 20.86  (77.4 s)`: the metrics the
/// job's experiment chose, those the run has.
std::string completed_line(const Job& job, const RunRecord& record) {
  std::string line = fmt::format("[#{}] completed", job.index);
  for (const auto& metric : declaration_of(job).progress_metrics)
    if (std::optional<double> value = metric_value(record, metric))
      line += fmt::format("  {} {:.4g}",
                          metric.rfind("baseline/", 0) == 0 ? metric.substr(9) : metric, *value);
  return line + fmt::format("  ({:.1f} s)", record.wall_seconds);
}

void remove_stale_temporaries(const std::string& runs_dir) {
  for (const auto& entry : fs::directory_iterator(runs_dir))
    if (entry.path().filename().string().find(".tmp-") != std::string::npos)
      fs::remove(entry.path());
}

/// `  [3/18 done, ETA 4m10s]`: jobs finished of those run now, and the time the rest should take.
std::string progress(size_t finished, size_t total, const SweepEta& eta) {
  const double left = eta.seconds_left();
  if (finished == total || left < 0) return fmt::format("  [{}/{} done]", finished, total);
  return fmt::format("  [{}/{} done, ETA {}]", finished, total, format_duration(left));
}

/// What a job's duration is expected to be like: its config-group choices.
std::vector<std::string> job_kinds(const std::vector<const Job*>& jobs) {
  std::vector<std::string> kinds;
  for (const Job* job : jobs) {
    std::string kind;
    for (const auto& [group, option] : job->choices) kind += group + "=" + option + " ";
    kinds.push_back(kind);
  }
  return kinds;
}

/// A run file that exists but cannot be read, and why.
struct DamagedRun {
  const Job* job;
  std::string path, problem;
};

/// The status of the run file at `path` ("" when there is none); a file that cannot be read
/// whole is added to `damaged` and counts as absent.
std::string status_of_run_file(const Job& job, const std::string& path,
                               std::vector<DamagedRun>& damaged) {
  if (!fs::exists(path)) return "";
  try {
    return read_run_summary(path).status;
  } catch (const Error& e) {
    damaged.push_back({&job, path, e.what()});
    return "";
  }
}

/// Moves each damaged run file aside (`<id>.h5.damaged`), saying so, before its job reruns.
void move_aside(const std::vector<DamagedRun>& damaged) {
  for (const auto& run : damaged) {
    std::string target = run.path + ".damaged";
    for (int n = 2; fs::exists(target); ++n) target = run.path + ".damaged-" + std::to_string(n);
    fs::rename(run.path, target);
    say(fmt::format("[#{}] {}; moved to {} and run again", run.job->index, run.problem, target));
  }
}

/// The jobs still to run: not a duplicate of an earlier job, not completed or diverged before.
std::vector<const Job*> pending_jobs(const SweepPlan& plan, int64_t& skipped,
                                     std::vector<DamagedRun>& damaged) {
  std::vector<const Job*> pending;
  std::map<std::string, int64_t> first_index;
  for (const auto& job : plan.jobs) {
    std::string label = fmt::format("#{} : {}", job.index, job.spec.describe());
    if (auto seen = first_index.find(job.run_id); seen != first_index.end()) {
      say(fmt::format("{}  (same run as #{}: {})", label, seen->second, job.run_id));
      continue;
    }
    first_index[job.run_id] = job.index;
    std::string status =
        status_of_run_file(job, run_file_path(plan.results_dir, job.run_id), damaged);
    if (status == "completed" || status == "diverged") {
      say(fmt::format("{}  skipped: {} earlier ({})", label, status, job.run_id));
      ++skipped;
      continue;
    }
    pending.push_back(&job);
  }
  return pending;
}

/// Writes each pending job's file and the worker command that runs it.
std::vector<WorkerCommand> worker_commands(const SweepPlan& plan,
                                           const std::vector<const Job*>& pending,
                                           const RunnerOptions& options) {
  std::vector<WorkerCommand> commands;
  for (const Job* job : pending) {
    std::string job_file = plan.results_dir + "/jobs/" + job->run_id + ".yaml";
    write_job_file(job_file, *job);
    WorkerCommand command;
    command.arguments = {"--run-job",   job_file,
                         "--out",       plan.results_dir,
                         "--threads",   std::to_string(options.threads),
                         "--cache-dir", options.cache_dir,
                         "--label",     fmt::format("[#{}]", job->index)};
    if (options.quiet) command.arguments.push_back("--quiet");
    command.environment = {"OMP_NUM_THREADS=" + std::to_string(options.threads)};
    commands.push_back(command);
  }
  return commands;
}

/// The status of a job whose worker ended, recording a failure when it wrote no run file.
std::string settle(const Job& job, const std::string& path, int exit_code) {
  std::string status = run_file_status(path);
  if (!status.empty()) return status;
  write_run_file(path, failed_record(job, fmt::format("worker exited with code {} without "
                                                      "writing results",
                                                      exit_code)));
  return "failed";
}

}  // namespace

int run_plan(const SweepPlan& plan, const RunnerOptions& options) {
  std::string runs_dir = plan.results_dir + "/runs";
  check_writable_folder(plan.results_dir, "results folder");
  int64_t skipped = 0;
  std::vector<DamagedRun> damaged;
  std::vector<const Job*> pending = pending_jobs(plan, skipped, damaged);
  preflight(pending, options.cache_dir, plan.results_dir);  // mistakes end here: nothing written
  move_aside(damaged);
  fs::create_directories(runs_dir);
  remove_stale_temporaries(runs_dir);
  std::vector<WorkerCommand> commands = worker_commands(plan, pending, options);
  LaunchContext launch{current_program(), options.threads, options.parallel, plan.results_dir};
  std::shared_ptr<Launcher> launcher = make_launcher(plan.launcher, launch);
  if (!pending.empty())
    say(fmt::format("running {} job(s), {}; results in {}", pending.size(),
                    launcher->describe(pending.size()), plan.results_dir));

  std::map<std::string, int64_t> counts;
  write_summary(plan.results_dir, plan.name);
  const auto start = std::chrono::steady_clock::now();
  size_t finished = 0;
  SweepEta eta(job_kinds(pending));
  launcher->launch(commands, [&](size_t i, int exit_code) {
    const Job& job = *pending[i];
    std::string path = run_file_path(plan.results_dir, job.run_id);
    std::string status = settle(job, path, exit_code);
    ++counts[status];
    write_summary(plan.results_dir, plan.name);
    RunRecord record = read_run_summary(path);
    if (status == "completed")
      eta.finished(i, record.wall_seconds,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    else
      eta.ended(i);
    say((status == "completed" ? completed_line(job, record)
                               : fmt::format("[#{}] {}: {}", job.index, status, record.error)) +
        progress(++finished, pending.size(), eta));
  });
  say(fmt::format(
      "{} job(s): {} completed, {} diverged, {} failed, {} skipped; summary: {}/summary.h5",
      plan.jobs.size(), counts["completed"], counts["diverged"], counts["failed"], skipped,
      plan.results_dir));
  return counts["failed"] > 0 ? 1 : 0;
}

}  // namespace aelab
