// What the sweep runner hears as jobs end: each job's status settled (a worker that wrote no
// run file failed), its line with the progress count and the sweep's ETA, and the tally the
// sweep's last lines print.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "framework/sweep/jobs/job.h"
#include "framework/sweep/progress/job_claim.h"
#include "framework/sweep/progress/sweep_eta.h"

namespace aelab {

/// A line on stdout, flushed at once: the sweep's news as it happens.
void say(const std::string& line);

/// What the sweep's last lines say: counts, failed jobs, slowest jobs.
struct SweepTally {
  std::map<std::string, int64_t> counts;
  std::vector<std::pair<const Job*, std::string>> failures;  ///< job, error
  std::vector<std::pair<double, const Job*>> durations;
  int64_t elsewhere = 0;  ///< ended by another process while this one waited
};

/// The jobs of a sweep that this run leaves out, and why.
struct LeftOut {
  int64_t skipped = 0;       ///< completed or diverged in an earlier run
  int64_t same_run = 0;      ///< the same run as an earlier job of the sweep (same run id)
  int64_t other_shards = 0;  ///< another shard's (--shard i/N)
  int64_t queued = 0;        ///< still held by a scheduler from an earlier submission
  /// The jobs left out for other reasons than `skipped`, where there are any: ", 3 the same
  /// run as an earlier job, 4 in other shards".
  std::string others() const;
};

/// The sweep's last lines: counts, failed jobs, the slowest jobs, and how to resume.
void print_tally(const SweepPlan& plan, const SweepTally& tally, const LeftOut& left_out,
                 size_t not_started, const std::string& why_stopped);

/// What the runner hears as jobs end: the status of each, the progress line with its ETA, and
/// the tally for the last lines.
class JobEndings {
 public:
  /// `pending`: the jobs run now, in order; at least `at_once` of them run at the same time.
  JobEndings(const SweepPlan& plan, const std::vector<const Job*>& pending, size_t at_once);

  /// The jobs of one worker started (a stack of them, or one): each takes its share of the
  /// worker's time.
  void started(const std::vector<const Job*>& jobs);

  /// The jobs of one worker ended, each with its exit code; its run file was at `seen[job]`
  /// before. A stacked worker's jobs end together: each counts for the ETA before any line
  /// shows it, so the lines of one stack do not extrapolate from its first job alone.
  void ended(const std::vector<std::pair<const Job*, int>>& jobs,
             const std::map<const Job*, int64_t>& seen);

  /// A line of the jobs running now and the sweep's progress (`running #3 epoch 4/20, #4 epoch
  /// 1/20  [3/18 done, ETA 5m10s]`), said when the runner has said nothing for `seconds` (a job's
  /// end, or this line), so that long jobs still show where the sweep stands.
  void say_progress_every(double seconds);

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
  std::optional<Ending> settle_ending(const Job& job, int exit_code, int64_t seen_stamp);

  /// The pending jobs running now (their claims: of this runner's workers or another
  /// process's), by place in the pending jobs, with their claims.
  std::map<size_t, ClaimHolder> running_now() const;
  /// What the ETA reads of `running`: the seconds each has run and its epochs.
  static std::map<size_t, RunningJob> as_running(const std::map<size_t, ClaimHolder>& running);

  const SweepPlan& plan_;
  size_t total_;
  SweepEta eta_;
  size_t done_ = 0;                             // the progress count
  std::map<std::string, size_t> place_of_run_;  // run id -> place in the pending jobs
  std::vector<const Job*> pending_;
  /// Each job's overrides that not every job of the sweep shares (`model=mlp_ae
  /// model.latent_dim=4`): what its line names it by.
  std::map<const Job*, std::string> varies_;
  /// When each job's worker started here, and the job's share of that worker's time.
  std::map<const Job*, std::pair<std::chrono::steady_clock::time_point, double>> started_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_said_ = start_;
  std::string last_progress_line_;  ///< not said again while nothing in it changed
};

}  // namespace aelab
