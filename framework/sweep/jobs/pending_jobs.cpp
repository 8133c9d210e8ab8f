// The jobs still to run, from the run files of the results folder.
#include "framework/sweep/jobs/pending_jobs.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/experiment/model_store.h"
#include "framework/results/run_record.h"
#include "framework/sweep/checks/preflight.h"
#include "framework/sweep/checks/writable_folder.h"
#include "framework/config/run_reference.h"
#include "framework/sweep/runner.h"
#include "framework/sweep/workers/job_worker.h"

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

/// Why `job` is the same run as `first`: which of its overrides differ, and whether the run reads
/// them (`prior`, for an MLP) or they make the same config (`model=linear_ae` and `model=ae
/// encoder=linear`).
std::string why_same_run(const Job& job, const Job& first) {
  std::vector<std::string> unread, same_config;
  for (const auto& item : job.spec.overrides) {
    const auto other =
        std::find_if(first.spec.overrides.begin(), first.spec.overrides.end(),
                     [&](const Override& o) { return o.key == item.key && o.op == item.op; });
    if (other != first.spec.overrides.end() && other->value == item.value) continue;
    // A group the job reads lands under its own key (model), as every option does.
    (job.config.find(item.key) ? same_config : unread).push_back(item.key);
  }
  if (!unread.empty()) return "what differs, " + join(unread, ", ") + ", is not read by this run";
  if (!same_config.empty())
    return "what differs, " + join(same_config, ", ") + ", makes the same config";
  return "the same overrides";
}

/// The runs a job names (`transfer.from=RUN`) exist: ConfigError naming the job when one does
/// not, before any data is loaded. (A job that is the same run as an earlier one, its source run
/// written another way, a path and a bare id, is checked too.)
void check_run_references(const Job& job, const std::string& results_dir) {
  for (const std::string& key : keys_naming_a_run()) {
    const ConfigNode* reference = job.config.find(key);
    if (!reference || reference->kind() != ConfigNode::Kind::kString) continue;
    try {
      resolve_run_reference(reference->as_string(), results_dir, key);
    } catch (const DataError& e) {
      throw ConfigError(job_error(job, e.what(), /*several_jobs=*/true));
    }
  }
}

}  // namespace

PendingJobs find_pending_jobs(const SweepPlan& plan, const RunnerOptions& options) {
  PendingJobs pending;
  std::map<std::string, const Job*> first_of;
  for (const auto& job : plan.jobs) {
    if (!in_shard(job, options)) {
      ++pending.left_out.other_shards;
      continue;
    }
    if (auto seen = first_of.find(job.run_id); seen != first_of.end()) {
      check_run_references(job, plan.results_dir);
      pending.notes.push_back({&job, fmt::format("(same run as #{}, {}: {})", seen->second->index,
                                                 job.run_id, why_same_run(job, *seen->second))});
      ++pending.left_out.same_run;
      continue;
    }
    first_of[job.run_id] = &job;
    std::string status =
        status_of_run_file(job, run_file_path(plan.results_dir, job.run_id), pending.damaged);
    if (status == "completed" || status == "diverged") {
      pending.notes.push_back({&job, fmt::format("skipped: {} earlier ({})", status, job.run_id)});
      ++pending.left_out.skipped;
      continue;
    }
    check_run_references(job, plan.results_dir);
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
        fmt::format("{} job(s) are the same run as an earlier job of the sweep (the same "
                    "config once normalized; --dry-run says why): run once",
                    left_out.same_run));
  if (quiet && left_out.skipped > 0 && !pending.jobs.empty())
    say(fmt::format("{} job(s) skipped: completed or diverged earlier", left_out.skipped));
}

void tell_still_queued(const PendingJobs& pending, bool quiet) {
  if (pending.queued.empty()) return;
  if (quiet) {
    say(
        fmt::format("{} job(s) not submitted again: an earlier submission's tasks still hold "
                    "them",
                    pending.queued.size()));
    return;
  }
  for (const auto& note : pending.queued)
    say(fmt::format("#{} : {}  {}", note.job->index, note.job->spec.describe(), note.why));
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
