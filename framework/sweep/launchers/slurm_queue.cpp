// Which jobs of earlier Slurm submissions Slurm still holds.
#include "framework/sweep/launchers/slurm_queue.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace aelab {

namespace {

/// States in which a task holds no job any more (squeue lists some of them for a while).
bool ended(const std::string& state) {
  static const std::set<std::string> kEnded = {
      "BOOT_FAIL", "CANCELLED",     "COMPLETED", "COMPLETING", "DEADLINE", "FAILED",
      "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "REVOKED",    "TIMEOUT"};
  return kEnded.count(state) > 0;
}

/// The task indices of `%K`: `3`, `[2-5%1]`, `1,3,7-9`; empty where it is not one (`N/A`).
std::vector<int64_t> task_indices(std::string field) {
  std::vector<int64_t> tasks;
  if (!field.empty() && field.front() == '[') field.erase(0, 1);
  if (!field.empty() && field.back() == ']') field.pop_back();
  field = field.substr(0, field.find('%'));
  std::istringstream items(field);
  for (std::string item; std::getline(items, item, ',');) {
    const size_t dash = item.find('-');
    try {
      size_t used = 0;
      const int64_t first = std::stoll(item.substr(0, dash), &used);
      if (used != item.substr(0, dash).size() || first < 0) return {};
      int64_t last = first;
      if (dash != std::string::npos) {
        last = std::stoll(item.substr(dash + 1), &used);
        if (used != item.size() - dash - 1 || last < first) return {};
      }
      for (int64_t task = first; task <= last; ++task) tasks.push_back(task);
    } catch (const std::exception&) {
      return {};
    }
  }
  return tasks;
}

/// A file's lines.
std::vector<std::string> lines_of(const fs::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

std::string said_in_one_line(const std::string& output, size_t max_size) {
  std::string said;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) said += (said.empty() ? "" : " / ") + line;
  if (said.size() > max_size) said = "..." + said.substr(said.size() - max_size);
  return said;
}

std::vector<QueuedTask> parse_queued_tasks(const std::string& text) {
  std::vector<QueuedTask> queued;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string tasks, state;
    if (!(words >> tasks >> state) || ended(state)) continue;
    for (int64_t task : task_indices(tasks)) queued.push_back({task, state});
  }
  return queued;
}

std::map<std::string, std::string> jobs_still_queued(const std::string& folder,
                                                     const std::vector<std::string>& job_files,
                                                     const SqueueCall& squeue,
                                                     std::vector<std::string>& warnings) {
  std::map<std::string, std::string> queued;
  const std::set<std::string> wanted(job_files.begin(), job_files.end());
  for (int submission = 1;; ++submission) {
    const fs::path list = fs::path(folder) / fmt::format("submission-{}.jobs", submission);
    if (!fs::exists(list)) break;
    const std::vector<std::string> jobs = lines_of(list);
    const std::vector<std::string> id_lines =
        lines_of(fs::path(folder) / fmt::format("submission-{}.id", submission));
    bool lists_one = false;
    for (const auto& job : jobs) lists_one = lists_one || wanted.count(job) > 0;
    if (!lists_one || id_lines.empty() || id_lines.front().empty()) continue;
    const std::string& id = id_lines.front();
    int code = 0;
    const std::string said = squeue(id, code);
    if (code != 0) {
      // Slurm forgets an ended job after a while (MinJobAge): then it holds none of ours.
      if (said.find("Invalid job id") != std::string::npos) continue;
      warnings.push_back(fmt::format(
          "launcher=slurm: squeue could not say whether array job {} (submission {}) still holds "
          "jobs of this sweep ({}): its jobs are submitted again; each runs once (claims), and a "
          "task that finds its job taken ends at once",
          id, submission,
          said.empty() ? fmt::format("exit code {}", code) : said_in_one_line(said, 300)));
      continue;
    }
    for (const QueuedTask& task : parse_queued_tasks(said)) {
      if (task.task >= static_cast<int64_t>(jobs.size())) continue;
      const std::string& job = jobs[static_cast<size_t>(task.task)];
      if (wanted.count(job))
        queued[job] = fmt::format("Slurm array job {}_{}, {}", id, task.task, task.state);
    }
  }
  return queued;
}

}  // namespace aelab
