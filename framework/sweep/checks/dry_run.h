// --dry-run and --check: what a sweep would run, and the checks it makes before it writes,
// with nothing trained and no results or PCA basis written.
#pragma once

#include "framework/sweep/jobs/job.h"
#include "framework/sweep/runner.h"

namespace aelab {

/// Prints one line per job of this shard, `#n : overrides`, with why a job would not run (done
/// earlier, the same run as another) or runs again (a damaged run file), the sweep's shape and
/// its stacks; then runs the checks a run makes before it writes anything: the results folder,
/// the launcher, each device and, with `loads_data` (--check), each dataset and each job's model
/// on it. ConfigError for the first mistake, as the run would give; else a last line says what
/// was checked and how many jobs would run.
void dry_run(const SweepPlan& plan, const RunnerOptions& options, bool loads_data);

}  // namespace aelab
