// Which jobs of earlier Slurm submissions Slurm still holds.
#include "framework/sweep/launchers/slurm_queue.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace aelab {

namespace {

/// States in which a task holds no job any more (squeue lists some of them for a while). A
/// preempted task that Slurm requeues shows as PENDING or REQUEUED next; until then, a job
/// submitted again runs once all the same (claims).
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

std::string command_output(const std::string& command, int& code) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) {
    code = -1;
    return "";
  }
  char buffer[512];
  while (fgets(buffer, sizeof(buffer), pipe)) output += buffer;
  const int status = pclose(pipe);
  code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  return output;
}

std::string shell_quoted(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

SqueueCall squeue_on_path() {
  return [](const std::string& id, const std::string& cluster, int& code) {
    return command_output("squeue -h -r -o '%K %T' -j " + shell_quoted(id) +
                              (cluster.empty() ? "" : " -M " + shell_quoted(cluster)),
                          code);
  };
}

std::string said_in_one_line(const std::string& output, size_t max_size) {
  std::string said;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) said += (said.empty() ? "" : " / ") + line;
  if (said.size() > max_size) said = "..." + said.substr(said.size() - max_size);
  return said;
}

std::vector<QueuedTask> parse_queued_tasks(const std::string& text, size_t* unreadable) {
  std::vector<QueuedTask> queued;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string tasks, state, more;
    // An empty line, or the banner squeue -M puts first (`CLUSTER: north`).
    if (!(words >> tasks) || tasks == "CLUSTER:") continue;
    const std::vector<int64_t> indices = task_indices(tasks);
    const bool readable = (words >> state) && !(words >> more) &&
                          std::all_of(state.begin(), state.end(), [](unsigned char c) {
                            return std::isupper(c) != 0 || c == '_';
                          });
    if (!readable || (indices.empty() && tasks != "N/A")) {
      if (unreadable) ++*unreadable;
      continue;
    }
    if (ended(state)) continue;
    for (int64_t task : indices) queued.push_back({task, state});
  }
  return queued;
}

std::vector<SlurmSubmission> slurm_submissions_in(const std::string& folder) {
  std::vector<SlurmSubmission> submissions;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(folder, ignored)) {
    const std::string file = entry.path().filename().string();
    const std::string prefix = "submission-", suffix = ".jobs";
    if (file.size() <= prefix.size() + suffix.size() || file.rfind(prefix, 0) != 0 ||
        file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    SlurmSubmission submission;
    try {
      submission.number = std::stoi(file.substr(prefix.size()));
    } catch (const std::exception&) {
      continue;
    }
    for (const auto& line : lines_of(entry.path()))
      if (!line.empty()) submission.run_ids.push_back(fs::path(line).stem().string());
    const std::vector<std::string> id =
        lines_of(fs::path(folder) / fmt::format("submission-{}.id", submission.number));
    if (!id.empty()) submission.array.id = id[0];
    if (id.size() > 1 && id[1].rfind("cluster ", 0) == 0)
      submission.array.cluster = id[1].substr(8);
    submissions.push_back(submission);
  }
  std::sort(submissions.begin(), submissions.end(),
            [](const auto& a, const auto& b) { return a.number < b.number; });
  return submissions;
}

SubmittedArray parsable_answer(const std::string& output) {
  SubmittedArray found;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    const size_t semicolon = line.find(';');
    const std::string id = line.substr(0, semicolon);
    const std::string cluster = semicolon == std::string::npos ? "" : line.substr(semicolon + 1);
    const bool digits = !id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) {
      return std::isdigit(c) != 0;
    });
    const bool named = std::all_of(cluster.begin(), cluster.end(), [](unsigned char c) {
      return std::isalnum(c) != 0 || c == '_' || c == '-' || c == '.';
    });
    if (digits && named && (semicolon == std::string::npos || !cluster.empty()))
      found = {id, cluster};
    // sbatch's answer without --parsable, as a site's wrapper of sbatch may give it.
    static const std::regex spoken(
        "(?:^|: )Submitted batch job ([0-9]+)(?: on cluster ([A-Za-z0-9_.-]+))?$");
    if (std::smatch match; std::regex_search(line, match, spoken))
      found = {match[1].str(), match[2].matched ? match[2].str() : ""};
  }
  return found;
}

std::string squeue_command(const SubmittedArray& array) {
  return "squeue -j " + array.id + (array.cluster.empty() ? "" : " -M " + array.cluster);
}

std::string submission_id_text(const SubmittedArray& array) {
  return array.id + "\n" + (array.cluster.empty() ? "" : "cluster " + array.cluster + "\n");
}

std::map<std::string, std::string> jobs_still_queued(const std::string& folder,
                                                     const std::vector<std::string>& run_ids,
                                                     const SqueueCall& squeue,
                                                     std::vector<std::string>& warnings) {
  std::map<std::string, std::string> queued;
  const std::set<std::string> wanted(run_ids.begin(), run_ids.end());
  for (const SlurmSubmission& submission : slurm_submissions_in(folder)) {
    bool lists_one = false;
    for (const auto& run_id : submission.run_ids) lists_one = lists_one || wanted.count(run_id);
    if (!lists_one) continue;
    if (submission.array.id.empty()) {  // run_sweep ended between sbatch and writing its answer
      warnings.push_back(fmt::format(
          "launcher=slurm: submission {} has no array job id recorded (submission-{}.id), so "
          "whether its array still holds jobs of this sweep is not known",
          submission.number, submission.number));
      continue;
    }
    const std::string& id = submission.array.id;
    int code = 0;
    const std::string said = squeue(id, submission.array.cluster, code);
    if (code != 0) {
      // Slurm forgets an ended job after a while (MinJobAge): then it holds none of ours.
      if (said.find("Invalid job id") != std::string::npos) continue;
      warnings.push_back(fmt::format(
          "launcher=slurm: squeue could not say whether array job {} (submission {}) still holds "
          "jobs of this sweep ({})",
          id, submission.number,
          said.empty() ? fmt::format("exit code {}", code) : said_in_one_line(said, 300)));
      continue;
    }
    size_t unreadable = 0;
    const std::vector<QueuedTask> tasks = parse_queued_tasks(said, &unreadable);
    if (unreadable > 0)
      warnings.push_back(fmt::format(
          "launcher=slurm: squeue's answer for array job {} (submission {}) has {} line(s) that "
          "are no task and state ('{}'), so which of its jobs it still holds is not sure",
          id, submission.number, unreadable, said_in_one_line(said, 200)));
    for (const QueuedTask& task : tasks) {
      if (task.task >= static_cast<int64_t>(submission.run_ids.size())) continue;
      const std::string& run_id = submission.run_ids[static_cast<size_t>(task.task)];
      if (wanted.count(run_id))
        queued[run_id] = fmt::format("Slurm array job {}_{}, {}", id, task.task, task.state);
    }
  }
  return queued;
}

}  // namespace aelab
