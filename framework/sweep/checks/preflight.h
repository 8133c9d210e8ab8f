// Checks before the first job of a sweep starts: everything that can be known from the jobs'
// configs, their datasets (shapes, counts, classes) and this machine. A mistake found here is a
// ConfigError naming the key's file:line or override and the job, and nothing has been written.
#pragma once

#include <string>
#include <vector>

#include "framework/sweep/jobs/job.h"

namespace aelab {

/// How far the checks go: a dry run may stop before the data, and writes no PCA basis.
struct PreflightScope {
  bool loads_data = true;  ///< load each dataset and try each job on it
  bool caches_pca = true;  ///< keep the PCA bases fitted on the way in the cache folder
  /// Runs follow and give their own warnings; false (--check): give here the ones a run would
  /// give of its data before it trains (a PCA baseline short of the code's size).
  bool runs_follow = true;
  bool says_data = true;  ///< a line per dataset loaded (what each holds); false with --quiet
  /// The jobs compute on this machine; false (a scheduler's nodes): their devices are not
  /// checked against this machine's.
  bool devices_here = true;
};

/// Checks the PCA cache folder (when some job caches a basis) can be created and written
/// (without creating it) and each job's device; then loads every distinct dataset once (caching
/// its PCA basis for experiments that use it) and checks each job against it: non-empty splits,
/// the experiment's data check, and its model built for the dataset's samples and run forward on
/// two of them, with its training setup (`init_from` is looked up in `results_dir`). Prints one
/// line per dataset. `scope` may leave out the data, and the caching.
void preflight(const std::vector<const Job*>& pending, const std::string& cache_dir,
               const std::string& results_dir, const PreflightScope& scope = {});

/// The error message of a job's check, led by the file:line or override of the key the message
/// starts with (`model.latent_dim: ...`) and followed by the job (`[in job #3: ...]`).
std::string job_error(const Job& job, const std::string& message, bool several_jobs);

}  // namespace aelab
