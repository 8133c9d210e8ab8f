// The time a sweep has left, estimated from the jobs done so far.
// Each job left should take as long as the completed jobs of its kind (the same config-group
// choices: model preset, encoder, data, ...) took on average. A job of a kind none of which has
// completed yet is taken to last as long as the slowest kind so far, and the estimate is then a
// floor, not firm: a sweep whose fast PCA jobs end first has its training jobs still untimed. The
// work left is divided by the pace so far (job-seconds per wall-second), so parallel workers count;
// the pace is taken as at least the jobs that run at once, which the first completions cannot show
// (the job beside the first one to end was running all along), and at most the jobs left (the last
// one runs alone).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aelab {

/// Estimates a sweep's remaining time as its jobs finish.
class SweepEta {
 public:
  /// `kinds[i]` groups job i with the jobs expected to take as long; at least `at_once` jobs run
  /// at the same time (the workers).
  explicit SweepEta(std::vector<std::string> kinds, size_t at_once = 1)
      : kinds_(std::move(kinds)), done_(kinds_.size()), at_once_(at_once < 1 ? 1 : at_once) {}
  /// Job `i` completed after `job_seconds` of its own, `elapsed` seconds into the sweep.
  void finished(size_t i, double job_seconds, double elapsed);
  /// Job `i` ended without completing (failed or diverged): no part of the estimate.
  void ended(size_t i);
  /// Seconds the jobs left should take; 0 when none is left, -1 while nothing has completed.
  /// `running` (job -> seconds it has run) counts what the jobs running now have done already.
  double seconds_left(const std::map<size_t, double>& running = {}) const;
  /// Whether every job left is of a kind that has completed jobs; if not, seconds_left() is a
  /// floor.
  bool firm() const;
  /// `  [3/18 done, ETA 4m10s]`: jobs finished of those run now, and the time the rest should
  /// take (`ETA at least 40s` while some jobs left are of a kind not timed yet, `ETA not known
  /// yet` while those are all there is to go on).
  std::string progress(size_t finished, size_t total,
                       const std::map<size_t, double>& running = {}) const;

 private:
  /// The longest average duration of a kind that has completed jobs.
  double slowest_kind() const;

  std::vector<std::string> kinds_;
  std::vector<bool> done_;
  size_t at_once_;
  std::map<std::string, std::pair<double, int>> by_kind_;  ///< kind -> (seconds, count)
  double job_seconds_ = 0;
  int finished_ = 0;
  double elapsed_ = 0;
};

/// `4m10s`, `37s`.
std::string format_duration(double seconds);

}  // namespace aelab
