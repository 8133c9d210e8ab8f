// Jobs of a sweep: each one's resolved and normalized config, its run id and its overrides.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "framework/config/composition.h"
#include "framework/config/run_id.h"
#include "framework/config/sweep_expansion.h"
#include "framework/core/config_node.h"

namespace aelab {

/// One job, ready to run.
struct Job {
  int64_t index = 0;
  JobSpec spec;
  ConfigNode config;        ///< normalized: every option explicit, unused sections dropped
  std::string config_yaml;  ///< what the run file records and the run id hashes
  std::string run_id;
  std::map<std::string, std::string> choices;  ///< group -> option, recorded, not hashed
};

/// All jobs of a sweep and where their results go.
struct SweepPlan {
  std::string name;
  std::string primary_path;
  ConfigNode launcher;  ///< the normalized `launcher:` section (not part of any run id)
  std::string results_dir;
  std::vector<Job> jobs;
  std::string shape;  ///< how the sweep crosses its keys: `model: 3 x zip(a, b): 3 = 9 jobs`
  /// What the user should know before the jobs run: a key set twice on the command line.
  std::vector<std::string> warnings;
};

/// Checks the top-level keys and every plugin section of a resolved config, fills every
/// option's default, and drops the sections the model does not read (so they cannot change
/// the run id). Throws ConfigError naming the file position and the key, or for a key that is
/// missing, the override among `overrides` that deleted it (`~trainer`).
ConfigNode normalize_job_config(const ConfigNode& config,
                                const std::vector<Override>& overrides = {});

/// Told after each job is planned: how many of how many (planning 40,000 jobs takes half a
/// minute).
using PlanningProgress = std::function<void(int64_t planned, int64_t total)>;

/// Expands and validates every job before any runs; results go to `out_dir`, or
/// `results/<name>` when empty. ConfigError when the sweep has more than `max_jobs` jobs.
SweepPlan plan_sweep(const ConfigSource& source, const std::string& primary_path,
                     const std::vector<std::string>& override_texts, const std::string& out_dir,
                     int64_t max_jobs = kDefaultMaxJobs, const PlanningProgress& progress = {});

}  // namespace aelab
