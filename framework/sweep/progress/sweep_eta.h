// The time a sweep has left, estimated from the jobs done so far and those running.
// Each job left should take as long as the completed jobs of its kind (the same config-group
// choices, model preset, encoder, data, ..., and the same settings that change the cost many
// times over, such as data.subset or eval.is_samples) took, per epoch where its number of epochs is
// known (a sweep of trainer.epochs), else per job. A running job that has reported epochs is
// projected from its own pace; one of a kind none of which has completed is timed by the running
// jobs of its kind, so the first wave of a sweep has an estimate too, a floor until one completes
// (its evaluation is not timed yet). A job of a kind that nothing times yet is taken to last as
// long as the slowest kind so far, and the estimate is then a floor too (as a rule: the jobs
// that end first are the fast ones; not where a slow kind ends before a faster one). The work left
// is divided by the pace so far (job-seconds per wall-second), so parallel workers count; the pace
// is taken as at least the jobs that run at once, which the first completions cannot show, and at
// most the jobs left (the last one runs alone).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aelab {

/// A job running now: the seconds it has run, and the epochs it has done of its total (0 of 0
/// while it has reported none). A run resumed from a checkpoint did `resumed_from` of those
/// epochs in an earlier attempt, whose time `seconds` does not count.
struct RunningJob {
  double seconds = 0;
  int64_t epoch = 0;
  int64_t epochs = 0;
  int64_t resumed_from = 0;
  /// Seconds its own training had run when its last epoch ended (0: not known, and `seconds`
  /// stands in): the epoch under way is no part of the pace, or the estimate would grow as it
  /// runs; nor what came before its first epoch (loading the data, a pretraining).
  double at_last_epoch = 0;
  /// Seconds since its last epoch ended (negative: not known, and `seconds` less
  /// `at_last_epoch` stands in): how far into the epoch under way it is.
  double since_last_epoch = -1;
  /// Seconds per epoch of this attempt; 0 while it has finished none.
  double epoch_seconds() const {
    const int64_t here = epoch - resumed_from;
    const double done = at_last_epoch > 0 ? at_last_epoch : seconds;
    return here > 0 && done > 0 ? done / double(here) : 0;
  }
};

/// Estimates a sweep's remaining time as its jobs run and finish.
class SweepEta {
 public:
  /// `kinds[i]` groups job i with the jobs expected to take as long per epoch; `epochs[i]` is its
  /// number of epochs (0, or no entry: not known, and its kind is timed per job); at least
  /// `at_once` jobs run at the same time (the workers).
  explicit SweepEta(std::vector<std::string> kinds, size_t at_once = 1,
                    std::vector<int64_t> epochs = {});
  /// Job `i` completed after `job_seconds` of its own, `elapsed` seconds into the sweep, of which
  /// it ran `this_attempt` in this sweep (less than `job_seconds` for a run resumed from a
  /// checkpoint; negative: all of them). `job_seconds` times its kind; `this_attempt`, the pace.
  void finished(size_t i, double job_seconds, double elapsed, double this_attempt = -1);
  /// Job `i` ended without completing (failed or diverged): no part of the estimate.
  void ended(size_t i);
  /// Seconds the jobs left should take; 0 when none is left, -1 while nothing times them.
  /// `running` (by job) are the jobs running now.
  double seconds_left(const std::map<size_t, RunningJob>& running = {}) const;
  /// Whether every job left is timed by a completed job of its kind; if not, seconds_left() is
  /// a floor. Running jobs time their kind's epochs, but not what comes after the last one (the
  /// test set's evaluation, the baselines, the run file), which only a completed job shows.
  bool firm() const;
  /// `  [3/18 done, ETA 4m10s]`: jobs finished of those run now, and the time the rest should
  /// take (`ETA at least 40s` while some jobs left are of a kind not timed yet, or only by its
  /// running jobs' epochs; `ETA not known
  /// yet` while those are all there is to go on, `ETA: evaluating the last job` where it is past
  /// its epochs and nothing times the rest, `ETA: running past the estimate` where the jobs
  /// running have outlasted what timed them and nothing else is left).
  std::string progress(size_t finished, size_t total,
                       const std::map<size_t, RunningJob>& running = {}) const;

 private:
  /// Seconds of the completed jobs of a kind, and of those whose epochs are known, per epoch.
  struct Timing {
    double seconds = 0;
    int count = 0;
    double epoch_seconds = 0;
    int64_t epochs = 0;
  };
  /// Seconds job `i` should take in all, from the jobs of its kind; nullopt when none times it.
  std::optional<double> of_its_kind(size_t i, const std::map<size_t, RunningJob>& running) const;
  /// Seconds job `i` has left; nullopt when nothing of its kind times it.
  std::optional<double> left_of(size_t i, const std::map<size_t, RunningJob>& running) const;
  /// The number of jobs left where every one of them runs past its last epoch (evaluating);
  /// 0 where some job left is not.
  size_t jobs_evaluating(const std::map<size_t, RunningJob>& running) const;
  /// The longest time a job of any timed kind takes (completed, or projected from its pace).
  double slowest_job(const std::map<size_t, RunningJob>& running) const;

  std::vector<std::string> kinds_;
  std::vector<int64_t> epochs_;
  std::vector<bool> done_;
  size_t at_once_;
  std::map<std::string, Timing> by_kind_;
  double job_seconds_ = 0;
  int finished_ = 0;
  double elapsed_ = 0;
};

}  // namespace aelab
