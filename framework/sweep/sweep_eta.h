// The time a sweep has left, from the jobs done so far: each job left should take as long as
// the finished jobs of its kind (the same config-group choices: model preset, encoder, data, ...)
// took on average, or as all finished jobs when none of its kind has finished yet. The work left
// is divided by the pace so far (job-seconds per wall-second), so parallel workers count.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace aelab {

/// Estimates a sweep's remaining time as its jobs finish.
class SweepEta {
 public:
  /// `kinds[i]` groups job i with the jobs expected to take as long.
  explicit SweepEta(std::vector<std::string> kinds) : kinds_(std::move(kinds)), done_(kinds_.size()) {}
  /// Job `i` finished after `job_seconds` of its own, `elapsed` seconds into the sweep.
  void finished(size_t i, double job_seconds, double elapsed);
  /// Seconds the unfinished jobs should take; 0 when all are done.
  double seconds_left() const;

 private:
  std::vector<std::string> kinds_;
  std::vector<bool> done_;
  std::map<std::string, std::pair<double, int>> by_kind_;  ///< kind -> (seconds, count)
  double job_seconds_ = 0;
  int finished_ = 0;
  double elapsed_ = 0;
};

/// `4m10s`, `37s`.
std::string format_duration(double seconds);

}  // namespace aelab
