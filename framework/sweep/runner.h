// The sweep runner: skips runs already completed, prepares each dataset once, runs the rest
// through a launcher, keeps summary.h5 current and reports each job's status.
#pragma once

#include <string>

#include "framework/core/cache_dir.h"
#include "framework/sweep/job.h"

namespace aelab {

/// How the runner runs jobs (not part of any run's config).
struct RunnerOptions {
  int64_t parallel = 0;  ///< `--jobs`: workers at once; 0: the launcher's `jobs` setting
  int64_t threads = 1;   ///< torch threads per worker
  std::string cache_dir;
  bool quiet = false;
};

/// Runs a validated plan; returns the exit code: 0 when every run completed or diverged, 1 when
/// some failed.
int run_plan(const SweepPlan& plan, const RunnerOptions& options);

}  // namespace aelab
