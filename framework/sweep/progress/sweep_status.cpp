// The state of a sweep's jobs, read from its results folder.
#include "framework/sweep/progress/sweep_status.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "framework/core/duration_text.h"
#include "framework/core/error.h"
#include "framework/results/run_record.h"
#include "framework/sweep/jobs/job_list.h"
#include "framework/sweep/launchers/slurm_queue.h"
#include "framework/sweep/progress/job_claim.h"
#include "framework/sweep/progress/sweep_eta.h"
#include "framework/sweep/workers/job_worker.h"
#include "framework/train/checkpoint_files.h"

namespace fs = std::filesystem;

namespace aelab {
namespace {

std::string clock_time(double unix_seconds) {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  char text[32];
  std::strftime(text, sizeof(text), "%H:%M:%S", std::localtime(&time));
  return text;
}

/// What a rerun does with a job that did not finish: resume it from its checkpoint, where it
/// saved one, or start it again.
std::string what_a_rerun_does(const std::string& results_dir, const std::string& run_id) {
  return checkpoint_files(results_dir, run_id).empty()
             ? "it saved no checkpoint: a rerun starts it again"
             : "a rerun resumes it from its checkpoint";
}

/// The state word and the detail of one job.
std::pair<std::string, std::string> job_state(const std::string& results_dir,
                                              const ListedJob& job) {
  std::optional<ClaimHolder> holder = read_claim(results_dir, job.run_id);
  if (holder && !holder_gone(*holder)) {
    return {"running", fmt::format("{} on {} since {} ({})", describe_stage(*holder),
                                   describe_holder(*holder), clock_time(holder->since),
                                   format_duration(unix_seconds_now() - holder->since))};
  }
  const std::string path = run_file_path(results_dir, job.run_id);
  if (std::filesystem::exists(path)) {
    try {
      RunRecord record = read_run_summary(path);
      if (record.status == "completed") return {"completed", format_duration(record.wall_seconds)};
      // A failed run keeps its checkpoints too (job_worker.cpp).
      if ((record.status == "interrupted" && !holder) || record.status == "failed")
        return {record.status, record.error + "; " + what_a_rerun_does(results_dir, job.run_id)};
      if (record.status != "interrupted") return {record.status, record.error};
    } catch (const Error&) {
      return {"damaged", path + " cannot be read; a rerun runs the job again"};
    }
  }
  if (holder)
    return {"interrupted",
            fmt::format("its process {} is gone ({}); {}", describe_holder(*holder),
                        holder->epochs > 0
                            ? fmt::format("{} of {} epochs done", holder->epoch, holder->epochs)
                            : "before its first epoch ended",
                        what_a_rerun_does(results_dir, job.run_id))};
  return {"pending", ""};
}

/// Of the jobs pending or interrupted, those a task of the folder's Slurm arrays still holds
/// (squeue, where it is on PATH; a warning where it cannot answer), by run id.
std::map<std::string, std::string> held_by_slurm(
    const std::string& results_dir, const JobList& list,
    const std::vector<std::pair<std::string, std::string>>& states) {
  std::vector<std::string> waiting;
  for (size_t i = 0; i < list.jobs.size(); ++i)
    if (states[i].first == "pending" || states[i].first == "interrupted")
      waiting.push_back(list.jobs[i].run_id);
  std::error_code ignored;
  if (waiting.empty() || !fs::is_directory(results_dir + "/slurm", ignored)) return {};
  int code = 0;
  command_output("command -v squeue", code);
  if (code != 0) return {};  // not on a Slurm host: the folder alone says what it can
  std::vector<std::string> warnings;
  auto queued = jobs_still_queued(results_dir + "/slurm", waiting, squeue_on_path(), warnings);
  for (const auto& warning : warnings) std::cerr << "warning: " << warning << "\n";
  return queued;
}

}  // namespace

void print_sweep_status(const std::string& results_dir) {
  JobList list = read_job_list(results_dir);
  std::map<std::string, int64_t> counts;
  std::cout << fmt::format("sweep {}: {} job(s) in {}\n", list.name, list.jobs.size(), results_dir);
  std::vector<std::pair<std::string, std::string>> states;
  for (const auto& job : list.jobs) states.push_back(job_state(results_dir, job));
  const std::map<std::string, std::string> queued = held_by_slurm(results_dir, list, states);
  for (size_t i = 0; i < list.jobs.size(); ++i) {
    auto [state, detail] = states[i];
    if (auto where = queued.find(list.jobs[i].run_id); where != queued.end()) {
      if (state == "pending") {
        state = "queued";
        detail = where->second;
      } else {
        detail += "; " + where->second + " runs it next";
      }
    }
    ++counts[state];
    std::cout << fmt::format("#{:<4} {:<11} {}{}{}\n", list.jobs[i].index, state,
                             list.jobs[i].overrides, detail.empty() ? "" : "  ", detail);
  }
  std::string line;
  for (const auto& [state, count] : counts)
    line += fmt::format("{}{} {}", line.empty() ? "" : ", ", count, state);
  std::cout << line << "\n";
  // Runs of another sweep that wrote into this folder before: tables and figures read them too.
  std::set<std::string> listed;
  for (const auto& job : list.jobs) listed.insert(job.run_id);
  const int64_t others = run_files_of_no_job(results_dir, listed);
  if (others > 0)
    std::cout << fmt::format(
        "and {} run file(s) in runs/ of no job above (an earlier sweep into this folder), which "
        "make_table and plot_results read too\n",
        others);
  for (const auto& submission : slurm_submissions_in(results_dir + "/slurm"))
    if (!submission.array.id.empty())
      std::cout << fmt::format("Slurm array job {}: {}\n", submission.array.id,
                               squeue_command(submission.array));
}

}  // namespace aelab
