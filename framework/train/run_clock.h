// A run's wall time over its attempts. A run resumed from a checkpoint goes on from the time
// the checkpoint recorded, so its `wall_seconds` is the time of the work it kept (not only of
// the last attempt); the part of an interrupted attempt after its checkpoint is lost with it.
#pragma once

#include <chrono>

namespace aelab {

/// Seconds since the run started, earlier attempts included once a checkpoint says how long
/// they took.
class RunClock {
 public:
  /// `share`: the part of the time that is this run's, 1 / K for K runs trained as one stacked
  /// model (as their run files count it).
  explicit RunClock(double share = 1) : start_(std::chrono::steady_clock::now()), share_(share) {}
  /// Seconds the run has spent, earlier attempts included.
  double seconds() const {
    return offset_ +
           share_ *
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  /// The run resumes from a checkpoint written when it had spent `seconds`.
  void resume_at(double seconds) { offset_ += seconds - this->seconds(); }

 private:
  std::chrono::steady_clock::time_point start_;
  double share_;
  double offset_ = 0;
};

}  // namespace aelab
