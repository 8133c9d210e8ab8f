// Sweep ETA.
#include "framework/sweep/sweep_eta.h"

#include <fmt/format.h>

#include <cmath>

namespace aelab {

void SweepEta::finished(size_t i, double job_seconds, double elapsed) {
  if (i >= done_.size() || done_[i]) return;
  done_[i] = true;
  auto& [seconds, count] = by_kind_[kinds_[i]];
  seconds += job_seconds;
  ++count;
  job_seconds_ += job_seconds;
  ++finished_;
  elapsed_ = elapsed;
}

void SweepEta::ended(size_t i) {
  if (i < done_.size()) done_[i] = true;
}

double SweepEta::seconds_left() const {
  bool any_left = false;
  double work_left = 0;
  for (size_t i = 0; i < kinds_.size(); ++i) {
    if (done_[i]) continue;
    any_left = true;
    auto kind = by_kind_.find(kinds_[i]);
    work_left += kind != by_kind_.end() ? kind->second.first / kind->second.second
                                        : job_seconds_ / finished_;
  }
  if (!any_left) return 0;
  if (finished_ == 0 || job_seconds_ <= 0) return -1;
  return work_left * elapsed_ / job_seconds_;
}

std::string format_duration(double seconds) {
  const auto whole = static_cast<int64_t>(std::llround(seconds));
  if (whole >= 3600) return fmt::format("{}h{:02}m", whole / 3600, whole % 3600 / 60);
  if (whole >= 60) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return fmt::format("{}s", whole);
}

}  // namespace aelab
