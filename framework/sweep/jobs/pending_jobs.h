// The jobs of a plan still to run, read from the results folder alone (nothing is written): a
// job of another shard, the same run as an earlier job, or completed or diverged before is left
// out, and a run file that cannot be read is damaged and runs again.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "framework/core/error.h"
#include "framework/sweep/job_endings.h"
#include "framework/sweep/jobs/job.h"

namespace aelab {

struct RunnerOptions;

/// A run file that exists but cannot be read, and why.
struct DamagedRun {
  const Job* job;
  std::string path, problem;
};

/// A job of this shard that will not run, or runs again, and why (`skipped: completed earlier
/// (<run id>)`).
struct JobNote {
  const Job* job;
  std::string why;
};

struct PendingJobs {
  std::vector<const Job*> jobs;  ///< in the plan's order
  LeftOut left_out;
  std::vector<JobNote> notes;  ///< the jobs of this shard left out, in the plan's order
  std::vector<DamagedRun> damaged;
  /// The jobs left out because a scheduler still holds them from an earlier launch into the
  /// folder (a Slurm array's task), each with where: found by check_plan, not read from the
  /// folder.
  std::vector<JobNote> queued;
};

/// The plan's jobs still to run with `options`' shard.
PendingJobs find_pending_jobs(const SweepPlan& plan, const RunnerOptions& options);

/// find_pending_jobs after checking the results folder can be written: where it cannot,
/// `unwritable` holds why (a finished sweep's folder may be read-only), and that error, which
/// says more, is thrown in place of one from reading the folder (a name too long, say).
PendingJobs find_pending_jobs_in_folder(const SweepPlan& plan, const RunnerOptions& options,
                                        std::optional<ConfigError>& unwritable);

/// The notes as a run tells them: a line each, or when `quiet` one line per kind that counts
/// them.
void tell_left_out(const PendingJobs& pending, bool quiet);

/// The jobs a scheduler still holds, as a run tells them: a line each, or when `quiet` one line
/// that counts them.
void tell_still_queued(const PendingJobs& pending, bool quiet);

/// True when a run would write nothing: every job of this shard done, no run file damaged,
/// and the summary there (a finished sweep's folder may then be read-only).
bool nothing_to_write(const SweepPlan& plan, const PendingJobs& pending);

}  // namespace aelab
