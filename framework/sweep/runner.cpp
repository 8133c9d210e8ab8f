// The sweep runner: the pending jobs, the checks before any runs, the launch, and the last lines.
#include "framework/sweep/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include "framework/core/error.h"
#include "framework/core/stop_request.h"
#include "framework/results/run_record.h"
#include "framework/sweep/checks/leftovers.h"
#include "framework/sweep/checks/preflight.h"
#include "framework/sweep/job_endings.h"
#include "framework/sweep/jobs/job_list.h"
#include "framework/sweep/jobs/pending_jobs.h"
#include "framework/sweep/launcher.h"
#include "framework/sweep/progress/job_claim.h"
#include "framework/sweep/workers/job_devices.h"
#include "framework/sweep/workers/job_worker.h"
#include "framework/sweep/workers/stacked_jobs.h"
#include "framework/sweep/workers/worker_processes.h"
#include "framework/train/device.h"

namespace fs = std::filesystem;

namespace aelab {

namespace {

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
                     const std::vector<const Job*>& pending, const LeftOut& left_out) {
  if (!options.quiet) {  // what runs where: quiet leaves the jobs' lines and the tally
    say(fmt::format("running {} job(s), {}; results in {}", pending.size(),
                    launcher.describe(pending.size()), plan.results_dir));
    for (const std::string& line : where_jobs_compute(pending)) say(line);
  }
  // Workers, not workers x stack: the jobs that cannot stack run one to a worker.
  JobEndings endings(plan, pending, static_cast<size_t>(launcher.workers()));
  auto keep_starting = [&] {
    return options.max_failures == 0 || endings.tally.counts["failed"] < options.max_failures;
  };
  std::map<const Job*, int64_t> seen;
  std::vector<const Job*> round = pending;
  while (!round.empty()) {
    JobsAlone alone;
    const auto groups =
        stack_groups(round, launcher.stack(), launcher.workers(), plan.results_dir, &alone);
    // The first round says what does not stack, once (not with --quiet).
    if (round.size() == pending.size() && !options.quiet) {
      for (const auto& [why, indices] : alone)
        say("launcher.stack: " + jobs_alone_line(why, indices));
      if (const std::string apart = stacks_apart_line(groups); !apart.empty())
        say("launcher.stack: " + apart);
    }
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
    // A long job still shows where the sweep stands: a line when none has been for a while.
    auto on_wait = [&] {
      if (!options.quiet && options.progress_every > 0 && !stop_requested())
        endings.say_progress_every(options.progress_every);
    };
    auto on_start = [&](size_t i) { endings.started(groups[i]); };
    launcher.launch(launched, {on_exit, keep_starting, on_wait, on_start});
    if (stop_requested() || !keep_starting() || !options.waits_for_others) break;
    round = wait_for_release(plan.results_dir, endings.held);
  }
  const size_t not_started = pending.size() - endings.settled;
  // Every worker has ended: a second Ctrl-C now has nothing to stop at once (the exit code says
  // what the sweep did, 3 where it was interrupted, not 130).
  second_interrupt_ends_nothing();
  std::string why = stop_requested() ? "stopped by a signal"
                    : !keep_starting()
                        ? fmt::format("stopped after {} failure(s)", endings.tally.counts["failed"])
                        : "running in another process";
  print_tally(plan, endings.tally, left_out, not_started, why);
  if (endings.tally.counts["interrupted"] > 0 || (stop_requested() && not_started > 0))
    return kSweepInterrupted;
  return endings.tally.counts["failed"] > 0 ? 1 : 0;
}

/// Moves the pending jobs that `launcher`'s scheduler still holds from an earlier launch into
/// the plan's folder to `pending.queued`: `submitted earlier: Slurm array job 4242_3, PENDING`.
void leave_out_still_queued(const SweepPlan& plan, const Launcher& launcher, PendingJobs& pending) {
  if (pending.jobs.empty() || launcher.runs_here()) return;
  std::vector<std::string> run_ids;
  for (const Job* job : pending.jobs) run_ids.push_back(job->run_id);
  const std::map<std::string, std::string> queued = launcher.still_queued(run_ids);
  if (queued.empty()) return;
  std::vector<const Job*> still_pending;
  for (const Job* job : pending.jobs) {
    auto where = queued.find(job->run_id);
    if (where == queued.end())
      still_pending.push_back(job);
    else
      pending.queued.push_back({job, "submitted earlier: " + where->second});
  }
  pending.jobs = still_pending;
  pending.left_out.queued = static_cast<int64_t>(pending.queued.size());
}

/// The plan's warnings (an override that no job reads), once its checks have passed.
void print_plan_warnings(const SweepPlan& plan) {
  for (const auto& warning : plan.warnings)
    std::fputs(("warning: " + warning + "\n").c_str(), stderr);
}

}  // namespace

std::shared_ptr<Launcher> check_plan(const SweepPlan& plan, const RunnerOptions& options,
                                     PendingJobs& pending, const PreflightScope& scope,
                                     bool dry_run) {
  LaunchContext context{current_program(),
                        options.threads,
                        options.parallel,
                        plan.results_dir,
                        plan.name,
                        options.cache_dir,
                        options.quiet,
                        jobs_want_gpus(pending.jobs),
                        highest_cuda_index(pending.jobs)};
  std::shared_ptr<Launcher> launcher = make_launcher(plan.launcher, context);
  try {
    launcher->check();
  } catch (const ConfigError& e) {
    if (!dry_run || launcher->runs_here()) throw;
    std::fputs(
        ("warning: " + std::string(e.what()) + "; the dry run shows its script all the same\n")
            .c_str(),
        stderr);
  }
  leave_out_still_queued(plan, *launcher, pending);
  // A scheduler's jobs compute on its nodes: their devices are theirs, not this machine's.
  PreflightScope here = scope;
  here.devices_here = launcher->runs_here();
  preflight(pending.jobs, options.cache_dir, plan.results_dir, here);
  // After the checks: a sweep they refuse gets its one error line, not warnings before it.
  print_plan_warnings(plan);
  return launcher;
}

int run_plan(const SweepPlan& plan, const RunnerOptions& options) {
  // Before anything starts a thread or touches a GPU: the copy workers are forked from, where
  // the launcher forks them.
  const ConfigNode* forks = plan.launcher.get("fork_workers");
  WorkerForker forker(forks && forks->text() == "true" ? options.worker_main : nullptr);
  // Next: a signal during the checks below (Slurm's warning, Ctrl-C) must not kill the runner.
  install_stop_handlers(/*second_interrupt_exits=*/true, stop_running_workers,
                        kill_running_workers);
  stop_when_output_closes(/*say_so=*/true);
  std::optional<ConfigError> unwritable;
  PendingJobs pending = find_pending_jobs_in_folder(plan, options, unwritable);
  tell_left_out(pending, options.quiet);
  const auto done_line = [&] {
    return fmt::format("{} job(s): {} ({} skipped{}); summary: {}/summary.h5", plan.jobs.size(),
                       pending.left_out.queued ? "none to submit" : "every run is done",
                       pending.left_out.skipped, pending.left_out.others(), plan.results_dir);
  };
  if (unwritable) {  // a finished sweep's folder may be read-only: there is nothing to write
    if (!nothing_to_write(plan, pending)) throw *unwritable;
    print_plan_warnings(plan);
    say(done_line() + " (read-only: summary.h5 left as it is)");
    return 0;
  }
  PreflightScope scope;
  scope.says_data = !options.quiet;
  std::shared_ptr<Launcher> launcher = check_plan(plan, options, pending, scope);
  tell_still_queued(pending, options.quiet);
  if (const std::string shared = other_sweep_warning(plan);
      options.writes_job_list && !shared.empty())
    std::fputs(("warning: " + shared + "\n").c_str(), stderr);
  std::error_code ignored;
  const bool folder_is_new = !fs::exists(plan.results_dir, ignored);
  prepare_results_folder(plan, options, pending.damaged);  // mistakes ended above: now it writes
  if (pending.jobs.empty()) {
    say(done_line());
    if (pending.left_out.queued)
      say(fmt::format("watch them: run_sweep --status {}", plan.results_dir));
    return 0;
  }
  if (!launcher->runs_here()) {  // a scheduler runs them later
    std::map<const Job*, int64_t> seen;
    try {
      launcher->launch(launched_jobs(plan, stack_groups(pending.jobs, 1, 1, plan.results_dir),
                                     options, launcher->threads(), seen),
                       {});
    } catch (const Error&) {
      // Nothing submitted: a folder this command made holds no run, and goes with it.
      if (folder_is_new && fs::is_empty(plan.results_dir + "/runs", ignored))
        fs::remove_all(plan.results_dir, ignored);
      throw;
    }
    return 0;
  }
  return run_pending_here(plan, options, *launcher, pending.jobs, pending.left_out);
}

}  // namespace aelab
