// Running one job in this process: the experiment, provenance, and the run file.
#pragma once

#include <memory>
#include <string>

#include "framework/experiment/experiment.h"
#include "framework/sweep/jobs/job.h"

namespace aelab {

/// Exit codes of a worker process (`run_sweep --run-job`).
enum WorkerExit : int {
  kRunEnded = 0,        ///< completed or diverged
  kRunFailed = 1,       ///< failed (the run file says why)
  kRunInterrupted = 3,  ///< stopped by a signal, checkpointed; the next run resumes it
  kHeldElsewhere = 4,   ///< another live process holds the job's claim; not run here
  kRanElsewhere = 5,    ///< another process ran the job since this sweep looked
};

/// What each run file records of the build that made it: `aelab 98499d4f3dfd, LibTorch 1.13.1,
/// OpenBLAS 0.3.21 Zen` (run_sweep --version).
std::string this_build();

/// Writes the job file a worker process reads (`run_id`, `index`, `overrides`, `config`).
void write_job_file(const std::string& path, const Job& job);

/// Reads a job file back; the run id is recomputed from the config and must match.
Job read_job_file(const std::string& path);

/// Runs `job`, writes `<results_dir>/runs/<run_id>.h5` atomically and returns its status
/// (`completed`, `diverged` or `failed`). Only an unwritable results folder throws.
std::string run_job(const Job& job, const std::string& results_dir, RunContext context);

class JobClaim;

/// Has the run of `context` tell `claim` as each of its epochs begins and ends (what
/// `run_sweep --status` and the progress line show); `claim` outlives the run.
void report_epochs_to(JobClaim* claim, RunContext& context);

/// Claims `job` for this process; null, with `*refusal` set to kHeldElsewhere or kRanElsewhere,
/// when another live process holds it or has run it since the runner saw its run file with
/// modification stamp `seen_stamp` (0: there was none).
std::unique_ptr<JobClaim> claim_job(const Job& job, const std::string& results_dir,
                                    int64_t seen_stamp, int* refusal);

/// Claims `job`, runs it unless another process holds it or has run it since the runner saw
/// its run file with modification stamp `seen_stamp` (0: there was none), and releases the
/// claim; the claim's epochs follow the training. Returns a WorkerExit.
int run_claimed_job(const Job& job, const std::string& results_dir, RunContext context,
                    int64_t seen_stamp);

/// The modification stamp of a run file (nanoseconds), 0 when there is none: what a worker
/// compares to tell a run made since its sweep looked.
int64_t run_file_stamp(const std::string& path);

/// Path of a job's run file.
std::string run_file_path(const std::string& results_dir, const std::string& run_id);

/// The `failed` run record of a job whose worker died without writing one.
RunRecord failed_record(const Job& job, const std::string& error);
/// The `interrupted` run record of a job stopped by a signal before its experiment ran.
RunRecord interrupted_record(const Job& job, const std::string& why);

}  // namespace aelab
