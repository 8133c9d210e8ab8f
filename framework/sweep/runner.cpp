// Sweep runner.
#include "framework/sweep/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include "framework/core/stop_request.h"
#include "framework/experiment/experiment.h"
#include "framework/results/result_table.h"
#include "framework/results/run_record.h"
#include "framework/sweep/job_claim.h"
#include "framework/sweep/job_devices.h"
#include "framework/sweep/job_list.h"
#include "framework/sweep/job_worker.h"
#include "framework/sweep/launcher.h"
#include "framework/sweep/leftovers.h"
#include "framework/sweep/preflight.h"
#include "framework/sweep/stacked_jobs.h"
#include "framework/sweep/sweep_eta.h"
#include "framework/sweep/worker_processes.h"
#include "framework/train/device.h"

namespace fs = std::filesystem;

namespace aelab {

namespace {

void say(const std::string& line) {
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
}

/// `[#3] completed  test/sse 10.03  baseline/pca/test/sse 20.86  (77.4 s)`: the metrics the
/// job's experiment chose, those the run has.
std::string completed_line(const Job& job, const RunRecord& record) {
  std::string line = fmt::format("[#{}] completed", job.index);
  for (const auto& metric : experiment_declaration_of(job.config).progress_metrics)
    if (std::optional<double> value = metric_value(record, metric))
      line += fmt::format("  {} {:.4g}",
                          metric.rfind("baseline/", 0) == 0 ? metric.substr(9) : metric, *value);
  return line + fmt::format("  ({:.1f} s)", record.wall_seconds);
}

/// `  [3/18 done, ETA 4m10s]`: jobs finished of those run now, and the time the rest should take.
std::string progress(size_t finished, size_t total, const SweepEta& eta) {
  const double left = eta.seconds_left();
  if (finished == total || left <= 0) return fmt::format("  [{}/{} done]", finished, total);
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
    std::error_code gone;  // another runner may have moved it first
    fs::rename(run.path, target, gone);
    if (!gone)
      say(fmt::format("[#{}] {}; moved to {} and run again", run.job->index, run.problem, target));
  }
}

/// The jobs still to run: in this shard, not a duplicate of an earlier job, not completed or
/// diverged before.
std::vector<const Job*> pending_jobs(const SweepPlan& plan, const RunnerOptions& options,
                                     int64_t& skipped, std::vector<DamagedRun>& damaged) {
  std::vector<const Job*> pending;
  std::map<std::string, int64_t> first_index;
  for (const auto& job : plan.jobs) {
    if (job.index % options.shard_count != options.shard_index) continue;
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

/// Writes each job's frozen config and the worker command that runs its group (a job alone, or
/// jobs trained as one stacked model). `seen` gets each job's run-file stamp as it was now.
std::vector<LaunchedJob> launched_jobs(const SweepPlan& plan,
                                       const std::vector<std::vector<const Job*>>& groups,
                                       const RunnerOptions& options, int64_t threads,
                                       std::map<const Job*, int64_t>& seen) {
  std::vector<LaunchedJob> launched;
  for (const auto& group : groups) {
    const Job* first = group.front();
    LaunchedJob item{
        first->index, first->run_id, job_file_path(plan.results_dir, first->run_id), {}};
    for (const Job* job : group) {
      const std::string job_file = job_file_path(plan.results_dir, job->run_id);
      write_job_file(job_file, *job);
      seen[job] = run_file_stamp(run_file_path(plan.results_dir, job->run_id));
      item.command.arguments.insert(item.command.arguments.end(),
                                    {"--run-job", job_file, "--seen", std::to_string(seen[job])});
    }
    item.command.arguments.insert(
        item.command.arguments.end(),
        {"--out", plan.results_dir, "--threads", std::to_string(threads), "--cache-dir",
         options.cache_dir, "--label", fmt::format("[#{}]", first->index)});
    if (options.quiet) item.command.arguments.push_back("--quiet");
    item.command.environment = {"OMP_NUM_THREADS=" + std::to_string(threads)};
    launched.push_back(item);
  }
  return launched;
}

/// The exit code that stands for one job of a stacked worker's group: a job whose run file the
/// worker did not write and that another live process holds was held elsewhere.
int exit_code_of(const std::string& results_dir, const Job& job, int group_exit,
                 int64_t seen_stamp) {
  if (run_file_stamp(run_file_path(results_dir, job.run_id)) != seen_stamp) return group_exit;
  std::optional<ClaimHolder> holder = read_claim(results_dir, job.run_id);
  return holder && !holder_gone(*holder) ? kHeldElsewhere : group_exit;
}

/// The status of a job whose worker ended, recording a failure when it wrote no run file (the
/// file is as the sweep saw it: `seen_stamp`).
std::string settle(const Job& job, const std::string& path, int exit_code, int64_t seen_stamp) {
  std::string status = run_file_status(path);
  // Another process's run file; or one this worker wrote (the file changed since).
  if (!status.empty() && (exit_code == kRanElsewhere || run_file_stamp(path) != seen_stamp))
    return status;
  write_run_file(path, failed_record(job, fmt::format("worker exited with code {} without "
                                                      "writing results",
                                                      exit_code)));
  return "failed";
}

/// Waits until some of `held` (jobs another process holds) are released or their holder is
/// gone, or a stop is requested; returns those.
std::vector<const Job*> wait_for_release(const std::string& results_dir,
                                         std::vector<const Job*>& held) {
  while (!held.empty() && !stop_requested()) {
    std::vector<const Job*> released, still_held;
    for (const Job* job : held) {
      std::optional<ClaimHolder> holder = read_claim(results_dir, job->run_id);
      (holder && !holder_gone(*holder) ? still_held : released).push_back(job);
    }
    held = still_held;
    if (!released.empty()) return released;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return {};
}

/// What the sweep's last lines say: counts, failed jobs, slowest jobs.
struct SweepTally {
  std::map<std::string, int64_t> counts;
  std::vector<std::pair<const Job*, std::string>> failures;  ///< job, error
  std::vector<std::pair<double, const Job*>> durations;
  int64_t elsewhere = 0;  ///< ended by another process while this one waited
};

void print_tally(const SweepPlan& plan, const SweepTally& tally, int64_t skipped,
                 size_t not_started, const std::string& why_stopped) {
  auto count = [&](const std::string& status) {
    auto it = tally.counts.find(status);
    return it == tally.counts.end() ? int64_t{0} : it->second;
  };
  std::string line =
      fmt::format("{} job(s): {} completed, {} diverged, {} failed", plan.jobs.size(),
                  count("completed"), count("diverged"), count("failed"));
  if (count("interrupted")) line += fmt::format(", {} interrupted", count("interrupted"));
  line += fmt::format(", {} skipped", skipped);
  if (tally.elsewhere) line += fmt::format(" ({} run by another process)", tally.elsewhere);
  if (not_started) line += fmt::format(", {} not started ({})", not_started, why_stopped);
  say(line + fmt::format("; summary: {}/summary.h5", plan.results_dir));
  for (const auto& [job, error] : tally.failures)
    say(fmt::format("  failed #{} ({}): {}", job->index, job->spec.describe(), error));
  std::vector<std::pair<double, const Job*>> slowest = tally.durations;
  std::sort(slowest.begin(), slowest.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  if (slowest.size() > 1) {
    std::string names;
    for (size_t i = 0; i < std::min<size_t>(3, slowest.size()); ++i)
      names += fmt::format("{}#{} {}", i ? ", " : "", slowest[i].second->index,
                           slowest[i].first < 60 ? fmt::format("{:.1f} s", slowest[i].first)
                                                 : format_duration(slowest[i].first));
    say("  slowest: " + names);
  }
  if (count("interrupted") || not_started)
    say("  run the same command again to resume: completed runs are kept");
}

/// What the runner hears as jobs end: the status of each, the progress line with its ETA, and
/// the tally for the last lines.
class JobEndings {
 public:
  JobEndings(const SweepPlan& plan, const std::vector<const Job*>& pending, size_t at_once)
      : plan_(plan), total_(pending.size()), eta_(job_kinds(pending), at_once) {
    for (size_t i = 0; i < pending.size(); ++i) position_[pending[i]] = i;
  }

  /// The jobs of one worker ended, each with its exit code; its run file was at `seen[job]`
  /// before. A stacked worker's jobs end together: each counts for the ETA before any line
  /// shows it, so the lines of one stack do not extrapolate from its first job alone.
  void ended(const std::vector<std::pair<const Job*, int>>& jobs,
             const std::map<const Job*, int64_t>& seen) {
    std::vector<Ending> endings;
    for (const auto& [job, exit_code] : jobs)
      if (std::optional<Ending> ending = settle_ending(*job, exit_code, seen.at(job)))
        endings.push_back(*ending);
    settled += endings.size();
    // An interrupted job is not done: its line shows no count, and a rerun resumes it.
    for (const Ending& ending : endings)
      say(ending.done ? ending.line + progress(++done_, total_, eta_) : ending.line);
  }

  SweepTally tally;
  std::vector<const Job*> held;  ///< jobs another process was running when asked
  size_t settled = 0;            ///< jobs that ended here, done or interrupted

 private:
  /// A job's line, and whether the job is done (completed, diverged or failed).
  struct Ending {
    std::string line;
    bool done = true;
  };

  /// Settles one job's ending and counts it; its line, or none when another process holds it.
  std::optional<Ending> settle_ending(const Job& job, int exit_code, int64_t seen_stamp) {
    if (exit_code == kHeldElsewhere) {
      std::optional<ClaimHolder> holder = read_claim(plan_.results_dir, job.run_id);
      say(fmt::format("[#{}] running in {}; waiting for it", job.index,
                      holder ? describe_holder(*holder) : "another process"));
      held.push_back(&job);
      return std::nullopt;
    }
    std::string path = run_file_path(plan_.results_dir, job.run_id);
    std::string status = settle(job, path, exit_code, seen_stamp);
    ++tally.counts[status];
    write_summary(plan_.results_dir, plan_.name);
    RunRecord record = read_run_summary(path);
    const size_t at = position_[&job];
    if (status == "completed" && exit_code != kRanElsewhere) {
      eta_.finished(at, record.wall_seconds, seconds_since(start_));
      tally.durations.push_back({record.wall_seconds, &job});
    } else {
      eta_.ended(at);
    }
    if (status == "failed") tally.failures.push_back({&job, record.error});
    if (exit_code == kRanElsewhere) {
      ++tally.elsewhere;
      return Ending{fmt::format("[#{}] {} by another process", job.index, status),
                    status != "interrupted"};
    }
    return Ending{status == "completed"
                      ? completed_line(job, record)
                      : fmt::format("[#{}] {}: {}", job.index, status, record.error),
                  status != "interrupted"};
  }

  static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const SweepPlan& plan_;
  size_t total_;
  SweepEta eta_;
  std::map<const Job*, size_t> position_;  // in the pending jobs, for the ETA
  size_t done_ = 0;                        // the progress count
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// After the checks, so that a mistake writes nothing: clears what killed processes left, and
/// writes the job list and the summary.
void prepare_results_folder(const SweepPlan& plan, const RunnerOptions& options,
                            const std::vector<DamagedRun>& damaged) {
  const std::string runs_dir = plan.results_dir + "/runs";
  move_aside(damaged);
  fs::create_directories(runs_dir);
  for (const auto& folder :
       {runs_dir, plan.results_dir, plan.results_dir + "/jobs", plan.results_dir + "/checkpoints"})
    remove_orphaned_temporaries(folder);
  remove_abandoned_claim_files(plan.results_dir + "/claims");
  if (options.writes_job_list) write_job_list(plan);
  write_summary(plan.results_dir, plan.name);
}

/// Runs the pending jobs on a launcher that runs them under this process, round after round (a
/// round ends when the jobs other processes held are released), then prints the tally; returns
/// run_plan's exit code.
int run_pending_here(const SweepPlan& plan, const RunnerOptions& options, Launcher& launcher,
                     const std::vector<const Job*>& pending, int64_t skipped) {
  say(fmt::format("running {} job(s), {}; results in {}", pending.size(),
                  launcher.describe(pending.size()), plan.results_dir));
  for (const std::string& line : where_jobs_compute(pending)) say(line);
  // Workers, not workers x stack: the jobs that cannot stack run one to a worker.
  JobEndings endings(plan, pending, static_cast<size_t>(launcher.workers()));
  auto keep_starting = [&] {
    return options.max_failures == 0 || endings.tally.counts["failed"] < options.max_failures;
  };
  std::map<const Job*, int64_t> seen;
  std::vector<const Job*> round = pending;
  while (!round.empty()) {
    std::map<std::string, int64_t> alone;
    const auto groups =
        stack_groups(round, launcher.stack(), launcher.workers(), plan.results_dir, &alone);
    if (round.size() == pending.size())  // the first round: say what does not stack, once
      for (const auto& [why, count] : alone)
        say(fmt::format("launcher.stack: {} job(s) run alone: {}", count, why));
    std::vector<LaunchedJob> launched =
        launched_jobs(plan, groups, options, launcher.threads(), seen);
    auto on_exit = [&](size_t i, int exit_code) {
      std::vector<std::pair<const Job*, int>> jobs;
      for (const Job* job : groups[i])
        jobs.push_back({job, groups[i].size() == 1
                                 ? exit_code
                                 : exit_code_of(plan.results_dir, *job, exit_code, seen[job])});
      endings.ended(jobs, seen);
    };
    launcher.launch(launched, {on_exit, keep_starting});
    if (stop_requested() || !keep_starting() || !options.waits_for_others) break;
    round = wait_for_release(plan.results_dir, endings.held);
  }
  const size_t not_started = pending.size() - endings.settled;
  std::string why = stop_requested() ? "stopped by a signal"
                    : !keep_starting()
                        ? fmt::format("stopped after {} failure(s)", endings.tally.counts["failed"])
                        : "running in another process";
  print_tally(plan, endings.tally, skipped, not_started, why);
  if (endings.tally.counts["interrupted"] > 0 || (stop_requested() && not_started > 0))
    return kSweepInterrupted;
  return endings.tally.counts["failed"] > 0 ? 1 : 0;
}

}  // namespace

int run_plan(const SweepPlan& plan, const RunnerOptions& options) {
  // Before anything starts a thread or touches a GPU: the copy workers are forked from, where
  // the launcher forks them.
  const ConfigNode* forks = plan.launcher.get("fork_workers");
  WorkerForker forker(forks && forks->text() == "true" ? options.worker_main : nullptr);
  // Next: a signal during the checks below (Slurm's warning, Ctrl-C) must not kill the runner.
  install_stop_handlers(/*second_interrupt_exits=*/true, stop_running_workers,
                        kill_running_workers);
  check_writable_folder(plan.results_dir, "results folder");
  int64_t skipped = 0;
  std::vector<DamagedRun> damaged;
  std::vector<const Job*> pending = pending_jobs(plan, options, skipped, damaged);
  LaunchContext context{
      current_program(), options.threads,   options.parallel, plan.results_dir,
      plan.name,         options.cache_dir, options.quiet,    jobs_want_gpus(pending)};
  std::shared_ptr<Launcher> launcher = make_launcher(plan.launcher, context);
  launcher->check();
  preflight(pending, options.cache_dir, plan.results_dir);  // mistakes end here: nothing written
  prepare_results_folder(plan, options, damaged);
  if (pending.empty()) {
    say(fmt::format("{} job(s): every run is done ({} skipped); summary: {}/summary.h5",
                    plan.jobs.size(), skipped, plan.results_dir));
    return 0;
  }
  if (!launcher->runs_here()) {  // a scheduler runs them later
    std::map<const Job*, int64_t> seen;
    launcher->launch(launched_jobs(plan, stack_groups(pending, 1, 1, plan.results_dir), options,
                                   launcher->threads(), seen),
                     {});
    return 0;
  }
  return run_pending_here(plan, options, *launcher, pending, skipped);
}

}  // namespace aelab
