// `run_sweep --status RESULTS_DIR`: each job's state from the results folder alone (its job
// list, run files, claims and checkpoints), for a sweep running anywhere: here, in another
// terminal, or as a Slurm array.
#pragma once

#include <string>

namespace aelab {

/// Prints one line per job (pending; running with host, pid, epoch and since when; completed;
/// diverged; failed with its error; interrupted, also when its process is gone; damaged) and the
/// counts; for a Slurm submission, its array job id.
void print_sweep_status(const std::string& results_dir);

}  // namespace aelab
