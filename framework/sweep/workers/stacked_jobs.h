// Jobs trained as one stacked model (launcher.stack=K): which pending jobs group together, and
// the worker that runs a group. Jobs of a group differ only in what a stacked model carries per
// variant (seed, trainer.lr, trainer.weight_decay, model.latent_dim, the noise level); the
// worker trains them at once, then runs each job's experiment on its trained weights, so every
// job writes its own run file, as it would have alone.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "framework/experiment/experiment.h"
#include "framework/sweep/jobs/job.h"

namespace aelab {

/// What jobs stacking together share: the config without what varies per variant. Empty when
/// the job cannot stack (`why` says why).
std::string stack_key(const ConfigNode& config, std::string* why = nullptr);

/// Why jobs run alone (a stack would leave a worker idle, say) -> the indices of those jobs.
using JobsAlone = std::map<std::string, std::vector<int64_t>>;

/// `jobs` in groups that share a stack key, in job order: as few groups of at most `stack` as
/// keep `workers` workers busy, each key's jobs split over its groups as evenly as they go. A job
/// that cannot stack, or resumes from a checkpoint, is a group of its own; `alone` (when given
/// and `stack` > 1) gets the jobs that run alone, by why.
std::vector<std::vector<const Job*>> stack_groups(const std::vector<const Job*>& jobs,
                                                  int64_t stack, int64_t workers,
                                                  const std::string& results_dir,
                                                  JobsAlone* alone = nullptr);

/// Where `groups` (of stack_groups) hold stacks of jobs that differ in more than a stack carries:
/// `stacks apart where noise.name differs (...)`, naming the settings that differ between them;
/// else "".
std::string stacks_apart_line(const std::vector<std::vector<const Job*>>& groups);

/// `3 job(s) run alone (#4 #5 #6): why`, the first few of many jobs named.
std::string jobs_alone_line(const std::string& why, const std::vector<int64_t>& indices);

/// Claims `jobs` (seen with run-file stamps `seen_stamps`), trains those claimed as one stacked
/// model, and runs each one's experiment on its trained weights; a stacked training that cannot
/// start runs them one by one instead. Returns the worst WorkerExit of the jobs run.
int run_claimed_stack(const std::vector<Job>& jobs, const std::vector<int64_t>& seen_stamps,
                      const std::string& results_dir, RunContext context);

}  // namespace aelab
