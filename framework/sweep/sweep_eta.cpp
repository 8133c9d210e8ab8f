// Sweep ETA.
#include "framework/sweep/sweep_eta.h"

#include <fmt/format.h>

#include <algorithm>
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

double SweepEta::slowest_kind() const {
  double slowest = 0;
  for (const auto& [kind, seconds_and_count] : by_kind_)
    slowest = std::max(slowest, seconds_and_count.first / seconds_and_count.second);
  return slowest;
}

bool SweepEta::firm() const {
  for (size_t i = 0; i < kinds_.size(); ++i)
    if (!done_[i] && by_kind_.count(kinds_[i]) == 0) return false;
  return true;
}

double SweepEta::seconds_left(const std::map<size_t, double>& running) const {
  size_t left = 0;
  double work_left = 0;
  for (size_t i = 0; i < kinds_.size(); ++i) {
    if (done_[i]) continue;
    ++left;
    auto kind = by_kind_.find(kinds_[i]);
    double expected =
        kind != by_kind_.end() ? kind->second.first / kind->second.second : slowest_kind();
    if (auto ran = running.find(i); ran != running.end())
      expected = std::max(expected - ran->second, 0.0);
    work_left += expected;
  }
  if (left == 0) return 0;
  if (finished_ == 0 || job_seconds_ <= 0) return -1;
  // At least as many jobs at once as can run, and no more than are left: the last runs alone.
  const double can_run = static_cast<double>(std::min(at_once_, left));
  const double pace =
      std::min(std::max(job_seconds_ / elapsed_, can_run), static_cast<double>(left));
  return work_left / pace;
}

std::string SweepEta::progress(size_t finished, size_t total,
                               const std::map<size_t, double>& running) const {
  const double left = seconds_left(running);
  if (finished == total || left <= 0) return fmt::format("  [{}/{} done]", finished, total);
  if (!firm() && left < 1)  // only jobs of untimed kinds left: no floor worth a number
    return fmt::format("  [{}/{} done, ETA not known yet]", finished, total);
  return fmt::format("  [{}/{} done, ETA {}{}]", finished, total, firm() ? "" : "at least ",
                     format_duration(left));
}

std::string format_duration(double seconds) {
  const auto whole = static_cast<int64_t>(std::llround(seconds));
  if (whole >= 3600) return fmt::format("{}h{:02}m", whole / 3600, whole % 3600 / 60);
  if (whole >= 60) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return whole == 0 && seconds > 0 ? "<1s" : fmt::format("{}s", whole);
}

}  // namespace aelab
