// The jobs still to run, from the run files of the results folder.
#include "framework/sweep/pending_jobs.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "framework/core/error.h"
#include "framework/results/run_record.h"
#include "framework/sweep/job_worker.h"
#include "framework/sweep/preflight.h"
#include "framework/sweep/runner.h"

namespace fs = std::filesystem;

namespace aelab {

namespace {

/// The status of the run file at `path` ("" when there is none); a file that cannot be read
/// whole is added to `damaged` and counts as absent.
std::string status_of_run_file(const Job& job, const std::string& path,
                               std::vector<DamagedRun>& damaged) {
  if (!fs::exists(path)) return "";
  try {
    return read_run_summary(path).status;
  } catch (const DamagedRunFile& e) {  // the runner moves it aside: no advice to the reader
    damaged.push_back({&job, path, e.problem()});
    return "";
  } catch (const Error& e) {
    damaged.push_back({&job, path, e.what()});
    return "";
  }
}

}  // namespace

PendingJobs find_pending_jobs(const SweepPlan& plan, const RunnerOptions& options) {
  PendingJobs pending;
  std::map<std::string, int64_t> first_index;
  for (const auto& job : plan.jobs) {
    if (!in_shard(job, options)) {
      ++pending.left_out.other_shards;
      continue;
    }
    if (auto seen = first_index.find(job.run_id); seen != first_index.end()) {
      pending.notes.push_back({&job, fmt::format("(same run as #{}, {}: what differs is not read "
                                                 "by this run)",
                                                 seen->second, job.run_id)});
      ++pending.left_out.same_run;
      continue;
    }
    first_index[job.run_id] = job.index;
    std::string status =
        status_of_run_file(job, run_file_path(plan.results_dir, job.run_id), pending.damaged);
    if (status == "completed" || status == "diverged") {
      pending.notes.push_back({&job, fmt::format("skipped: {} earlier ({})", status, job.run_id)});
      ++pending.left_out.skipped;
      continue;
    }
    pending.jobs.push_back(&job);
  }
  return pending;
}

void tell_left_out(const PendingJobs& pending, bool quiet) {
  const LeftOut& left_out = pending.left_out;
  if (!quiet)
    for (const auto& note : pending.notes)
      say(fmt::format("#{} : {}  {}", note.job->index, note.job->spec.describe(), note.why));
  if (quiet && left_out.same_run > 0)
    say(
        fmt::format("{} job(s) are the same run as an earlier job of the sweep (what differs "
                    "is not read by the run): run once",
                    left_out.same_run));
  if (quiet && left_out.skipped > 0 && !pending.jobs.empty())
    say(fmt::format("{} job(s) skipped: completed or diverged earlier", left_out.skipped));
}

PendingJobs find_pending_jobs_in_folder(const SweepPlan& plan, const RunnerOptions& options,
                                        std::optional<ConfigError>& unwritable) {
  try {
    check_writable_folder(plan.results_dir, "results folder");
  } catch (const ConfigError& e) {
    unwritable = e;
  }
  try {
    return find_pending_jobs(plan, options);
  } catch (const std::exception&) {
    if (unwritable) throw *unwritable;
    throw;
  }
}

bool nothing_to_write(const SweepPlan& plan, const PendingJobs& pending) {
  return pending.jobs.empty() && pending.damaged.empty() &&
         fs::exists(plan.results_dir + "/summary.h5");
}

}  // namespace aelab
