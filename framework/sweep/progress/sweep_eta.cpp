// Sweep ETA.
#include "framework/sweep/progress/sweep_eta.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "framework/core/duration_text.h"

namespace aelab {

SweepEta::SweepEta(std::vector<std::string> kinds, size_t at_once, std::vector<int64_t> epochs)
    : kinds_(std::move(kinds)),
      epochs_(std::move(epochs)),
      done_(kinds_.size()),
      at_once_(at_once < 1 ? 1 : at_once) {
  epochs_.resize(kinds_.size(), 0);
}

void SweepEta::finished(size_t i, double job_seconds, double elapsed, double this_attempt) {
  if (i >= done_.size() || done_[i]) return;
  done_[i] = true;
  Timing& timing = by_kind_[kinds_[i]];
  timing.seconds += job_seconds;
  ++timing.count;
  if (epochs_[i] > 0) {
    timing.epoch_seconds += job_seconds;
    timing.epochs += epochs_[i];
  }
  job_seconds_ += this_attempt < 0 ? job_seconds : std::min(this_attempt, job_seconds);
  ++finished_;
  elapsed_ = elapsed;
}

void SweepEta::ended(size_t i) {
  if (i < done_.size()) done_[i] = true;
}

std::optional<double> SweepEta::of_its_kind(size_t i,
                                            const std::map<size_t, RunningJob>& running) const {
  auto timed = by_kind_.find(kinds_[i]);
  if (timed != by_kind_.end()) {
    const Timing& t = timed->second;
    if (epochs_[i] > 0 && t.epochs > 0) return t.epoch_seconds / double(t.epochs) * epochs_[i];
    return t.seconds / t.count;
  }
  // None completed: the running ones of its kind, at their pace (the slowest).
  double per_epoch = 0, whole = 0;
  for (const auto& [j, job] : running)
    if (kinds_[j] == kinds_[i] && job.epoch_seconds() > 0) {
      per_epoch = std::max(per_epoch, job.epoch_seconds());
      whole = std::max(whole, job.epoch_seconds() * double(job.epochs));
    }
  if (per_epoch <= 0) return std::nullopt;
  return epochs_[i] > 0 ? per_epoch * double(epochs_[i]) : whole;
}

std::optional<double> SweepEta::left_of(size_t i,
                                        const std::map<size_t, RunningJob>& running) const {
  const std::optional<double> whole = of_its_kind(i, running);
  auto found = running.find(i);
  if (found == running.end()) return whole;
  const RunningJob& job = found->second;
  // Its kind's time, less what it has done: its own time, and the epochs of an earlier attempt;
  // and its epochs left at its own pace, which says more where it runs slower than its kind.
  const double before =
      whole && job.epochs > 0 ? *whole * double(job.resumed_from) / job.epochs : 0;
  std::optional<double> left;
  if (whole) left = std::max(0.0, *whole - before - job.seconds);
  if (job.epoch_seconds() > 0 && job.epochs >= job.epoch) {
    const double into_epoch = job.since_last_epoch >= 0 ? job.since_last_epoch
                              : job.at_last_epoch > 0   ? job.seconds - job.at_last_epoch
                                                        : 0;
    left = std::max(left.value_or(0.0),
                    job.epoch_seconds() * double(job.epochs - job.epoch) - into_epoch);
  }
  return left;
}

double SweepEta::slowest_job(const std::map<size_t, RunningJob>& running) const {
  double slowest = 0;
  for (const auto& [kind, timing] : by_kind_)
    slowest = std::max(slowest, timing.seconds / timing.count);
  for (const auto& [j, job] : running)
    slowest = std::max(slowest, job.epoch_seconds() * double(job.epochs));
  return slowest;
}

bool SweepEta::firm() const {
  for (size_t i = 0; i < kinds_.size(); ++i)
    if (!done_[i] && !by_kind_.count(kinds_[i])) return false;
  return true;
}

size_t SweepEta::jobs_evaluating(const std::map<size_t, RunningJob>& running) const {
  size_t evaluating = 0;
  for (size_t i = 0; i < kinds_.size(); ++i) {
    if (done_[i]) continue;
    auto job = running.find(i);
    if (job == running.end() || job->second.epochs <= 0 || job->second.epoch < job->second.epochs)
      return 0;
    ++evaluating;
  }
  return evaluating;
}

double SweepEta::seconds_left(const std::map<size_t, RunningJob>& running) const {
  size_t left = 0, untimed = 0;
  double work_left = 0;
  for (size_t i = 0; i < kinds_.size(); ++i) {
    if (done_[i]) continue;
    ++left;
    if (std::optional<double> seconds = left_of(i, running))
      work_left += *seconds;
    else
      ++untimed;
  }
  if (left == 0) return 0;
  if (untimed == left && finished_ == 0) return -1;  // nothing to go on yet
  if (finished_ > 0 && job_seconds_ <= 0) return -1;
  work_left += double(untimed) * slowest_job(running);  // a floor: at least the slowest so far
  // At least as many jobs at once as can run, and no more than are left: the last runs alone.
  const double can_run = static_cast<double>(std::min(at_once_, left));
  const double pace = finished_ == 0 ? can_run
                                     : std::min(std::max(job_seconds_ / elapsed_, can_run),
                                                static_cast<double>(left));
  return work_left / pace;
}

std::string SweepEta::progress(size_t finished, size_t total,
                               const std::map<size_t, RunningJob>& running) const {
  const double left = seconds_left(running);
  const bool sure = firm();
  if (finished == total) return fmt::format("  [{}/{} done]", finished, total);
  // Under a second to go, or nothing to go on, while every job left is past its last epoch:
  // what they do now.
  if (const size_t evaluating = left < 1 ? jobs_evaluating(running) : 0; evaluating > 0)
    return fmt::format("  [{}/{} done, ETA: evaluating the last {}]", finished, total,
                       evaluating == 1 ? "job" : fmt::format("{} jobs", evaluating));
  // Nothing to go on, or only a floor below a second (jobs of untimed kinds, or running past
  // their last epoch with none of their kind completed): no number worth showing.
  if (left < 0 || (!sure && left < 1))
    return fmt::format("  [{}/{} done, ETA not known yet]", finished, total);
  // Jobs running past what times them: no estimate is left to give.
  if (left == 0 && !running.empty())
    return fmt::format("  [{}/{} done, ETA: running past the estimate]", finished, total);
  // A spent estimate: the jobs of a stack, which ended together, reported one by one.
  if (left == 0) return fmt::format("  [{}/{} done]", finished, total);
  // Not sure: some kind left is untimed, taken as long as the slowest job so far, which the
  // first jobs to end (the fast ones: PCA before the trainings) make a floor as a rule.
  return fmt::format("  [{}/{} done, ETA {}{}]", finished, total, sure ? "" : "at least ",
                     format_duration(left));
}

}  // namespace aelab
