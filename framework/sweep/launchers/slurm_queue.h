// Which jobs of earlier Slurm submissions into a results folder Slurm still holds, queued or
// running, read from the submissions' files (`slurm/submission-<n>.id`, `.jobs`) and squeue: a
// second `run_sweep` of the same sweep submits only the jobs no task of an earlier array waits
// to run.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace aelab {

/// One array task squeue lists, and its state (`PENDING`, `RUNNING`, ...).
struct QueuedTask {
  int64_t task = 0;
  std::string state;
};

/// Parses the lines of `squeue -h -r -o "%K %T"`: a task index, or the range or list that
/// squeue folds pending tasks into (`[2-5%1]`, `1,3`), then its state. A task in a state that
/// ends it (COMPLETING, COMPLETED, FAILED, CANCELLED, ...) is left out: it holds no job any more.
std::vector<QueuedTask> parse_queued_tasks(const std::string& text);

/// A command's output as one line: its non-empty lines joined by ` / `, the last `max_size`
/// characters of them (a Slurm tool says why in its last lines).
std::string said_in_one_line(const std::string& output, size_t max_size = 400);

/// Runs `squeue` for one array job id; returns its standard output and error, `code` its exit
/// status.
using SqueueCall = std::function<std::string(const std::string& array_id, int& code)>;

/// Of `job_files` (absolute paths), those listed by a submission in `folder` whose array task
/// Slurm still holds, each with where: `Slurm array job 4242_3, PENDING`. An array squeue no
/// longer knows holds none. Where squeue cannot say (no controller), `warnings` gets a line and
/// that submission's jobs count as not queued: a job run twice runs once (claims), the other task
/// ends at once.
std::map<std::string, std::string> jobs_still_queued(const std::string& folder,
                                                     const std::vector<std::string>& job_files,
                                                     const SqueueCall& squeue,
                                                     std::vector<std::string>& warnings);

}  // namespace aelab
