// Slurm submissions into a results folder (`slurm/submission-<n>.jobs`, `.id`) and which of
// their jobs Slurm still holds, queued or running (squeue): a second `run_sweep` of the same
// sweep submits only the jobs no task of an earlier array waits to run.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace aelab {

/// A job array sbatch took: its id (empty where not known) and its cluster (on a federation,
/// where `sbatch --parsable` says `id;cluster`; else empty).
struct SubmittedArray {
  std::string id, cluster;
};

/// `squeue -j 4242`, with `-M north` for an array of a federation's cluster.
std::string squeue_command(const SubmittedArray& array);

/// One submission of a job array: its number, its array (the id empty where none was
/// recorded), and the run ids of its tasks, task 0 first.
struct SlurmSubmission {
  int number = 0;
  SubmittedArray array;
  std::vector<std::string> run_ids;
};

/// The submissions in `folder` (a results folder's `slurm/`), by number.
std::vector<SlurmSubmission> slurm_submissions_in(const std::string& folder);

/// The array of `sbatch --parsable`'s answer: its last line that reads `<digits>` or
/// `<digits>;<cluster>` (sbatch, or a site's wrapper, may say other things first), or sbatch's
/// `Submitted batch job <digits>[ on cluster <cluster>]` where a wrapper dropped --parsable; an
/// empty id where no line does.
SubmittedArray parsable_answer(const std::string& output);

/// What `submission-<n>.id` holds for an array.
std::string submission_id_text(const SubmittedArray& array);

/// One array task squeue lists, and its state (`PENDING`, `RUNNING`, ...).
struct QueuedTask {
  int64_t task = 0;
  std::string state;
};

/// Parses the lines of `squeue -h -r -o "%K %T"`: a task index, or the range or list that
/// squeue folds pending tasks into (`[2-5%1]`, `1,3`), then its state. A task in a state that
/// ends it (COMPLETING, COMPLETED, FAILED, CANCELLED, ...) is left out: it holds no job any more.
/// `unreadable`, where given, counts the lines that are neither.
std::vector<QueuedTask> parse_queued_tasks(const std::string& text, size_t* unreadable = nullptr);

/// A command's output as one line: its non-empty lines joined by ` / `, the last `max_size`
/// characters of them (a Slurm tool says why in its last lines).
std::string said_in_one_line(const std::string& output, size_t max_size = 400);

/// Runs `squeue` for one array job (of `cluster`, where not empty); returns its standard output
/// and error, `code` its exit status.
using SqueueCall =
    std::function<std::string(const std::string& array_id, const std::string& cluster, int& code)>;

/// Runs a shell command, returning what it wrote to standard output and error, trailing
/// newlines trimmed; `code` gets its exit status (-1 where it could not run or was killed).
std::string command_output(const std::string& command, int& code);

/// `word` quoted for the shell.
std::string shell_quoted(const std::string& word);

/// The squeue on PATH, one array job at a time.
SqueueCall squeue_on_path();

/// Of `run_ids`, those a submission in `folder` lists whose array task Slurm still holds, each
/// with where: `Slurm array job 4242_3, PENDING`. An array squeue no longer knows holds none.
/// Where squeue cannot say (no controller), or a submission's array id was never recorded,
/// `warnings` gets a line and its jobs count as not queued.
std::map<std::string, std::string> jobs_still_queued(const std::string& folder,
                                                     const std::vector<std::string>& run_ids,
                                                     const SqueueCall& squeue,
                                                     std::vector<std::string>& warnings);

}  // namespace aelab
