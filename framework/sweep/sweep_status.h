// `run_sweep --status RESULTS_DIR`: each job's state from the results folder alone (its job
// list, run files, claims and checkpoints), for a sweep running anywhere: here, in another
// terminal, or as a Slurm array.
#pragma once

#include <string>

namespace aelab {

/// Whether the run saved a checkpoint (`<run id>.pt`, or one of a stage: `<run id>.<stage>.pt`).
bool has_checkpoint(const std::string& results_dir, const std::string& run_id);

/// What a rerun does with a job that did not finish: `a rerun resumes it from its checkpoint`
/// where it saved one, else `it saved no checkpoint: a rerun starts it again`.
std::string what_a_rerun_does(const std::string& results_dir, const std::string& run_id);

/// Prints one line per job (pending; running with host, pid, epoch and since when; completed;
/// diverged; failed with its error; interrupted, also when its process is gone; damaged) and the
/// counts; for a Slurm submission, its array job id.
void print_sweep_status(const std::string& results_dir);

}  // namespace aelab
