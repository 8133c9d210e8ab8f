// Job endings: settling each job's status, its line and the progress count, and the tally.
#include "framework/sweep/job_endings.h"

#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>

#include "framework/core/duration_text.h"
#include "framework/core/stop_request.h"
#include "framework/core/suggest.h"
#include "framework/experiment/experiment.h"
#include "framework/results/result_table.h"
#include "framework/results/run_record.h"
#include "framework/sweep/jobs/job_list.h"
#include "framework/sweep/progress/job_claim.h"
#include "framework/sweep/progress/job_cost.h"
#include "framework/sweep/workers/job_worker.h"

namespace aelab {
namespace {

/// `[#3] completed  test/sse 10.03  baseline/pca/test/sse 20.86  (77.4 s)  model.latent_dim=8`:
/// the metrics the job's experiment chose, those the run has, and what tells the job apart
/// (`varies`).
std::string completed_line(const Job& job, const RunRecord& record, const std::string& varies) {
  std::string line = fmt::format("[#{}] completed", job.index);
  const ExperimentDeclaration& declared = experiment_declaration_of(job.config);
  const std::vector<std::string>& instead = declared.progress_metrics_instead;
  const bool other_line = !instead.empty() && metric_value(record, instead.front());
  for (const auto& metric : other_line ? instead : declared.progress_metrics)
    if (std::optional<double> value = metric_value(record, metric))
      line += fmt::format("  {} {:.4g}",
                          metric.rfind("baseline/", 0) == 0 ? metric.substr(9) : metric, *value);
  return line + fmt::format("  ({:.1f} s)", record.wall_seconds) +
         (varies.empty() ? "" : "  " + varies);
}

/// Each job's overrides that some job of `jobs` lacks: what the jobs differ in.
std::map<const Job*, std::string> what_varies(const std::vector<Job>& jobs) {
  std::map<std::string, size_t> count;
  for (const Job& job : jobs)
    for (const Override& item : job.spec.overrides) ++count[item.text];
  std::map<const Job*, std::string> varies;
  for (const Job& job : jobs) {
    std::vector<std::string> own;
    for (const Override& item : job.spec.overrides)
      if (count[item.text] < jobs.size()) own.push_back(item.text);
    varies[&job] = join(own, " ");
  }
  return varies;
}

/// How a worker ended, for a job it left without results: a code above 128 is a signal's.
std::string worker_end(int exit_code) {
  const int signal = exit_code - 128;
  if (signal == SIGKILL)
    return "worker killed by SIGKILL (the kernel's out-of-memory killer, or kill -9)";
  if (signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGFPE ||
      signal == SIGABRT)
    return "worker crashed with " + signal_name(signal) + " (a bug: please report it)";
  if (signal > 0 && signal < 65) return "worker killed by " + signal_name(signal);
  return fmt::format("worker exited with code {}", exit_code);
}

/// The status of a job whose worker ended, recording a failure when it wrote no run file (the
/// file is as the sweep saw it: `seen_stamp`).
std::string settle(const Job& job, const std::string& results_dir, int exit_code,
                   int64_t seen_stamp) {
  const std::string path = run_file_path(results_dir, job.run_id);
  std::string status = run_file_status(path);
  // Another process's run file; or one this worker wrote (the file changed since).
  if (!status.empty() && (exit_code == kRanElsewhere || run_file_stamp(path) != seen_stamp))
    return status;
  RunRecord record = failed_record(job, worker_end(exit_code) + " without writing results");
  // How long it ran, from when the worker claimed the job.
  if (std::optional<ClaimHolder> holder = read_claim(results_dir, job.run_id);
      holder && holder->since > 0)
    record.wall_seconds = std::max(0.0, unix_seconds_now() - holder->since);
  write_run_file(path, record);
  return "failed";
}

/// The line of a job that ended as `status`: its metrics when it completed, else its error
/// (`[#3] interrupted by SIGINT in epoch 4`, `[#3] failed: ...`), then what tells the job apart
/// (`varies`).
std::string ending_line(const Job& job, const std::string& status, const RunRecord& record,
                        const std::string& varies) {
  if (status == "completed") return completed_line(job, record, varies);
  const std::string which = varies.empty() ? "" : "  " + varies;
  if (record.error.rfind(status + " ", 0) == 0)  // the error says the status already
    return fmt::format("[#{}] {}{}", job.index, record.error, which);
  return fmt::format("[#{}] {}: {}{}", job.index, status, record.error, which);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void say(const std::string& line) {
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
}

std::string LeftOut::others() const {
  std::string text;
  if (same_run) text += fmt::format(", {} the same run as an earlier job", same_run);
  if (other_shards) text += fmt::format(", {} in other shards", other_shards);
  if (queued) text += fmt::format(", {} queued or running from an earlier submission", queued);
  return text;
}

void print_tally(const SweepPlan& plan, const SweepTally& tally, const LeftOut& left_out,
                 size_t not_started, const std::string& why_stopped) {
  auto count = [&](const std::string& status) {
    auto it = tally.counts.find(status);
    return it == tally.counts.end() ? int64_t{0} : it->second;
  };
  std::string line =
      fmt::format("{} job(s): {} completed, {} diverged, {} failed", plan.jobs.size(),
                  count("completed"), count("diverged"), count("failed"));
  if (count("interrupted")) line += fmt::format(", {} interrupted", count("interrupted"));
  line += fmt::format(", {} skipped", left_out.skipped);
  if (tally.elsewhere) line += fmt::format(" ({} run by another process)", tally.elsewhere);
  line += left_out.others();
  if (not_started) line += fmt::format(", {} not started ({})", not_started, why_stopped);
  say(line + fmt::format("; summary: {}/summary.h5", plan.results_dir));
  for (const auto& [job, error] : tally.failures)
    say(fmt::format("  failed #{} ({}): {}", job->index, job->spec.describe(), error));
  std::vector<std::pair<double, const Job*>> slowest = tally.durations;
  std::sort(slowest.begin(), slowest.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  if (slowest.size() > 1) {
    std::string names;
    for (size_t i = 0; i < std::min<size_t>(3, slowest.size()); ++i)
      names += fmt::format("{}#{} {}", i ? ", " : "", slowest[i].second->index,
                           slowest[i].first < 60 ? fmt::format("{:.1f} s", slowest[i].first)
                                                 : format_duration(slowest[i].first));
    say("  slowest: " + names);
  }
  if (count("interrupted") || not_started)
    say("  run the same command again to resume: completed runs are kept");
}

JobEndings::JobEndings(const SweepPlan& plan, const std::vector<const Job*>& pending,
                       size_t at_once)
    : plan_(plan),
      total_(pending.size()),
      eta_(job_kinds(pending), at_once, job_epochs(pending)),
      pending_(pending),
      varies_(what_varies(plan.jobs)) {
  for (size_t i = 0; i < pending.size(); ++i) place_of_run_[pending[i]->run_id] = i;
}

std::map<size_t, ClaimHolder> JobEndings::running_now() const {
  std::map<size_t, ClaimHolder> running;
  std::error_code ignored;  // a claim is a file in claims/ while its job runs
  for (const auto& entry :
       std::filesystem::directory_iterator(plan_.results_dir + "/claims", ignored)) {
    if (entry.path().extension() != ".claim") continue;
    auto place = place_of_run_.find(entry.path().stem().string());
    if (place == place_of_run_.end()) continue;
    std::optional<ClaimHolder> holder = read_claim(plan_.results_dir, place->first);
    if (holder && !holder_gone(*holder)) running[place->second] = *holder;
  }
  return running;
}

std::map<size_t, RunningJob> JobEndings::as_running(const std::map<size_t, ClaimHolder>& running) {
  std::map<size_t, RunningJob> jobs;
  for (const auto& [place, holder] : running) {
    if (holder.since <= 0) continue;  // a claim read as it was written
    RunningJob& job = jobs[place];
    job.seconds = std::max(0.0, unix_seconds_now() - holder.since);
    // Epochs of another training than the run's own (a transfer run's pretraining) time nothing
    // of it: the job counts as one that has reported none.
    if (!holder.stage.empty()) continue;
    job.epoch = holder.epoch;
    job.epochs = holder.epochs;
    job.resumed_from = holder.resumed_from;
    // Its epochs' pace from the start of its own training (not the data's loading before it).
    const double start = holder.own_since > 0 ? holder.own_since : holder.since;
    if (holder.epoch_at > 0) {
      job.at_last_epoch = std::max(0.0, holder.epoch_at - start);
      job.since_last_epoch = std::max(0.0, unix_seconds_now() - holder.epoch_at);
    }
  }
  return jobs;
}

void JobEndings::say_progress_every(double seconds) {
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_said_).count() < seconds) return;
  last_said_ = now;
  const std::map<size_t, ClaimHolder> running = running_now();
  if (running.empty()) return;
  std::string line = "running";
  size_t shown = 0;
  for (const auto& [place, holder] : running) {
    if (++shown > 4) {
      line += fmt::format(" and {} more", running.size() - 4);
      break;
    }
    line += fmt::format("{} #{} ", shown > 1 ? "," : "", pending_[place]->index);
    line += describe_stage(holder);
  }
  line += eta_.progress(done_, total_, as_running(running));
  if (line == last_progress_line_) return;  // the same words a second later tell nothing
  last_progress_line_ = line;
  say(line);
}

void JobEndings::started(const std::vector<const Job*>& jobs) {
  const auto now = std::chrono::steady_clock::now();
  for (const Job* job : jobs) started_[job] = {now, 1.0 / double(jobs.size())};
}

void JobEndings::ended(const std::vector<std::pair<const Job*, int>>& jobs,
                       const std::map<const Job*, int64_t>& seen) {
  std::vector<Ending> endings;
  for (const auto& [job, exit_code] : jobs)
    if (std::optional<Ending> ending = settle_ending(*job, exit_code, seen.at(job)))
      endings.push_back(*ending);
  settled += endings.size();
  // An interrupted job is not done: its line shows no count, and a rerun resumes it.
  const std::map<size_t, RunningJob> running = as_running(running_now());
  for (const Ending& ending : endings)
    say(ending.done ? ending.line + eta_.progress(++done_, total_, running) : ending.line);
  last_said_ = std::chrono::steady_clock::now();
}

std::optional<JobEndings::Ending> JobEndings::settle_ending(const Job& job, int exit_code,
                                                            int64_t seen_stamp) {
  if (exit_code == kHeldElsewhere) {
    std::optional<ClaimHolder> holder = read_claim(plan_.results_dir, job.run_id);
    say(fmt::format("[#{}] running in {}; waiting for it", job.index,
                    holder ? describe_holder(*holder) : "another process"));
    held.push_back(&job);
    return std::nullopt;
  }
  std::string path = run_file_path(plan_.results_dir, job.run_id);
  std::string status = settle(job, plan_.results_dir, exit_code, seen_stamp);
  ++tally.counts[status];
  write_summary(plan_.results_dir, plan_.name);
  RunRecord record = read_run_summary(path);
  const size_t at = place_of_run_.at(job.run_id);
  if (status == "completed" && exit_code != kRanElsewhere) {
    // The time it ran in this sweep: less than its run time when it resumed from a checkpoint.
    double here = -1;
    if (auto started = started_.find(&job); started != started_.end())
      here = seconds_since(started->second.first) * started->second.second;
    eta_.finished(at, record.wall_seconds, seconds_since(start_), here);
    tally.durations.push_back({record.wall_seconds, &job});
  } else {
    eta_.ended(at);
  }
  if (status == "failed") tally.failures.push_back({&job, record.error});
  if (exit_code == kRanElsewhere) {
    ++tally.elsewhere;
    return Ending{fmt::format("[#{}] {} by another process", job.index, status),
                  status != "interrupted"};
  }
  const auto varies = varies_.find(&job);
  return Ending{ending_line(job, status, record, varies == varies_.end() ? "" : varies->second),
                status != "interrupted"};
}

}  // namespace aelab
