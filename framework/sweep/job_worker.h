// Running one job in this process: the experiment, provenance, and the run file.
#pragma once

#include <string>

#include "framework/experiment/experiment.h"
#include "framework/sweep/job.h"

namespace aelab {

/// Writes the job file a worker process reads (`run_id`, `index`, `overrides`, `config`).
void write_job_file(const std::string& path, const Job& job);

/// Reads a job file back; the run id is recomputed from the config and must match.
Job read_job_file(const std::string& path);

/// Runs `job`, writes `<results_dir>/runs/<run_id>.h5` atomically and returns its status
/// (`completed`, `diverged` or `failed`). Only an unwritable results folder throws.
std::string run_job(const Job& job, const std::string& results_dir, RunContext context);

/// Path of a job's run file.
std::string run_file_path(const std::string& results_dir, const std::string& run_id);

/// The `failed` run record of a job whose worker died without writing one.
RunRecord failed_record(const Job& job, const std::string& error);

}  // namespace aelab
