// A sweep's jobs and its checks, with nothing trained and no results written.
#include "framework/sweep/checks/dry_run.h"

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <sstream>

#include "framework/core/config_node.h"
#include "framework/sweep/checks/preflight.h"
#include "framework/sweep/jobs/job_list.h"
#include "framework/sweep/jobs/pending_jobs.h"
#include "framework/sweep/launcher.h"
#include "framework/sweep/workers/stacked_jobs.h"
#include "framework/train/checkpoint_files.h"

namespace aelab {

namespace {

/// Why each job of this shard would not run, or runs again.
std::map<const Job*, std::string> notes_by_job(const PendingJobs& pending) {
  std::map<const Job*, std::string> why;
  for (const auto& note : pending.notes) why[note.job] = note.why;
  for (const auto& note : pending.queued) why[note.job] = note.why;
  for (const auto& run : pending.damaged)
    why[run.job] = "runs again: " + run.problem + " (a run moves the file aside)";
  return why;
}

/// With launcher.stack=K: the stacks the pending jobs would train in, and why others run alone.
void print_stacks(const Launcher& launcher, const std::vector<const Job*>& pending,
                  const std::string& results_dir) {
  if (launcher.stack() <= 1) return;
  JobsAlone alone;
  std::string line;
  const auto groups =
      stack_groups(pending, launcher.stack(), launcher.workers(), results_dir, &alone);
  for (const auto& group : groups) {
    if (group.size() < 2) continue;
    line += line.empty() ? "" : " |";
    for (const Job* job : group) line += fmt::format(" #{}", job->index);
  }
  std::cout << fmt::format("# stacks (launcher.stack={}, {} worker(s)):{}\n", launcher.stack(),
                           launcher.workers(), line.empty() ? " none" : line);
  if (const std::string apart = stacks_apart_line(groups); !apart.empty())
    std::cout << "# " << apart << "\n";
  for (const auto& [why, indices] : alone)
    std::cout << "# " << jobs_alone_line(why, indices) << "\n";
}

}  // namespace

void dry_run(const SweepPlan& plan, const RunnerOptions& options, bool loads_data) {
  std::optional<ConfigError> unwritable;
  PendingJobs pending = find_pending_jobs_in_folder(plan, options, unwritable);
  // The checks of a run, in its order; a folder with nothing left to write in may be read-only.
  if (unwritable && !nothing_to_write(plan, pending)) throw *unwritable;
  std::shared_ptr<Launcher> launcher =
      check_plan(plan, options, pending,
                 PreflightScope{loads_data, /*caches_pca=*/false, /*runs_follow=*/false},
                 /*dry_run=*/!loads_data);  // --check makes every check
  // Printed once the checks pass: a failed one is its error alone.
  const std::map<const Job*, std::string> why = notes_by_job(pending);
  std::ostringstream listing;
  for (const auto& job : plan.jobs) {
    if (!in_shard(job, options)) continue;
    auto note = why.find(&job);
    const bool resumes =
        note == why.end() && !checkpoint_files(plan.results_dir, job.run_id).empty();
    listing << "#" << job.index << " : " << job.spec.describe()
            << (note != why.end() ? "  " + note->second
                : resumes         ? "  resumes from its checkpoint"
                                  : "")
            << "\n";
  }
  listing << "# " << plan.shape;
  if (options.shard_count > 1)
    listing << fmt::format("; shard {}/{} has {} of them", options.shard_index, options.shard_count,
                           plan.jobs.size() - static_cast<size_t>(pending.left_out.other_shards));
  listing << "\n";
  std::cout << listing.str() << std::flush;
  print_stacks(*launcher, pending.jobs, plan.results_dir);
  if (!pending.jobs.empty())
    if (const std::string script = launcher->submission_preview(pending.jobs.size());
        !script.empty()) {
      std::istringstream lines(script);
      for (std::string line; std::getline(lines, line);) std::cout << "#   " << line << "\n";
    }
  if (const std::string shared = other_sweep_warning(plan); !shared.empty())
    std::cerr << "warning: " << shared << "\n";
  if (pending.jobs.empty()) {  // a run would only say so: its checks are of jobs to run
    std::cout << fmt::format(
        "# checked: the launcher: 0 job(s) to run, {} skipped{} (nothing else to check: a run "
        "would {} nothing)\n",
        pending.left_out.skipped, pending.left_out.others(),
        pending.left_out.queued ? "submit" : "train");
    return;
  }
  std::cout << fmt::format(
      "# checked: the results folder {}, the launcher, the devices{}: {} job(s) "
      "to run, {} skipped{}\n",
      plan.results_dir, loads_data ? ", each dataset and each job's model on it" : "",
      pending.jobs.size(), pending.left_out.skipped, pending.left_out.others());
  if (!loads_data && !pending.jobs.empty())
    std::cout << "# not checked: the datasets and each job's model on its data (add --check, "
                 "which loads them as a run does first)\n";
}

}  // namespace aelab
