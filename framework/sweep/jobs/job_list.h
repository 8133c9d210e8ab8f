// The frozen job list of a sweep: `<results>/jobs/sweep.yaml` names the sweep and lists every
// job (index, run id, overrides); `<results>/jobs/<run_id>.yaml` holds each job's whole config.
// Slurm tasks and `run_sweep --status` read these, so later edits to the configs cannot change
// what a submitted task runs or what the status reports.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "framework/sweep/jobs/job.h"

namespace aelab {

/// One line of the job list.
struct ListedJob {
  int64_t index = 0;
  std::string run_id;
  std::string overrides;
};

/// A sweep as its results folder records it.
struct JobList {
  std::string name;
  std::vector<ListedJob> jobs;
};

/// Writes `<results>/jobs/sweep.yaml` for the plan (atomically).
void write_job_list(const SweepPlan& plan);

/// Reads `<results>/jobs/sweep.yaml`; DataError when the folder has none.
JobList read_job_list(const std::string& results_dir);

/// Run files in `<results_dir>/runs/` whose run id is none of `run_ids` (runs of an earlier sweep
/// into the folder, which tables and figures read too).
int64_t run_files_of_no_job(const std::string& results_dir, const std::set<std::string>& run_ids);

/// "" unless the results folder holds the job list of a sweep of another name, or run files of
/// no job of the plan (the same sweep with other overrides), whose runs the plan's would sit
/// beside (tables show both; --status, the latest sweep): then what to know.
std::string other_sweep_warning(const SweepPlan& plan);

/// The path of a job's frozen config.
std::string job_file_path(const std::string& results_dir, const std::string& run_id);

}  // namespace aelab
