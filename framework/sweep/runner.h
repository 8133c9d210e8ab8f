// The sweep runner: skips runs already completed, prepares each dataset once, runs the rest
// through a launcher, keeps summary.h5 current and reports each job's status. Several runners
// (the same command twice, shards, Slurm tasks) may share one results folder: each job is
// claimed before it runs (job_claim.h), a job another process holds is waited for, and a job
// another process ran meanwhile is reported, not run again.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "framework/core/cache_dir.h"
#include "framework/sweep/checks/preflight.h"
#include "framework/sweep/jobs/job.h"
#include "framework/sweep/workers/worker_forker.h"

namespace aelab {

/// How the runner runs jobs (not part of any run's config).
struct RunnerOptions {
  int64_t parallel = 0;  ///< `--jobs`: workers at once; 0: the launcher's `jobs` setting
  int64_t threads = 0;   ///< `--threads`: torch threads per worker; 0: the launcher decides
  std::string cache_dir;
  bool quiet = false;
  /// Seconds without a line after which the runner says which jobs run and the ETA (0: never).
  double progress_every = 30;
  int64_t max_failures = 0;  ///< start no more jobs after this many failed (0: no limit)
  int64_t shard_index = 0;   ///< `--shard i/N`: only jobs whose index is i modulo N
  int64_t shard_count = 1;
  bool writes_job_list = true;  ///< false for a Slurm task: the list frozen at submission stays
  /// Wait for jobs another process is running, then report them (false for a Slurm task: it
  /// would hold its allocation idle).
  bool waits_for_others = true;
  /// The program's main, which workers forked from the sweep's WorkerForker run (null: workers
  /// are executed anew).
  ProgramMain worker_main = nullptr;
};

/// Whether `job` is one of this runner's shard (`--shard i/N`: index i modulo N).
inline bool in_shard(const Job& job, const RunnerOptions& options) {
  return job.index % options.shard_count == options.shard_index;
}

/// Exit code of a sweep some of whose jobs were interrupted (rerun the command to resume).
constexpr int kSweepInterrupted = 3;

class Launcher;
struct PendingJobs;

/// The checks a run makes before it writes results: the launcher, each of `pending`'s devices
/// and, as `scope` says, each dataset and each job's model on it (see preflight, which caches
/// the PCA bases it fitted only where `scope` lets it). Returns the launcher; ConfigError for the
/// first mistake. Once they pass, prints the plan's warnings. --dry-run runs it too
/// (`dry_run`): there, a scheduler's launcher that cannot submit from this machine (no `sbatch`)
/// is a warning, so its script can be read before the cluster is at hand.
/// Before the jobs' checks, the jobs a scheduler still holds from an earlier launch into this
/// folder (a Slurm array's tasks) leave `pending`, each with a note that says where it waits.
std::shared_ptr<Launcher> check_plan(const SweepPlan& plan, const RunnerOptions& options,
                                     PendingJobs& pending, const PreflightScope& scope,
                                     bool dry_run = false);

/// Runs a validated plan; returns the exit code: 0 when every run completed or diverged, 1 when
/// some failed, kSweepInterrupted when a signal stopped it.
int run_plan(const SweepPlan& plan, const RunnerOptions& options);

}  // namespace aelab
