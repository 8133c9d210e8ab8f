// Expanding sweeps into jobs as Hydra's basic sweeper does: each key's values in order, the
// cartesian product with the last override varying fastest, and a config file's `sweep:`
// mapping first, a command-line override of the same key taking its place. Beyond Hydra, a
// `zip:` mapping in `sweep:` pairs its lists (`zip: {model.latent_dim: [2, 8], trainer.lr:
// [1e-3, 1e-4]}` is 2 jobs, not 4), crossed with the other keys as one axis.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "framework/config/composition.h"
#include "framework/config/override.h"

namespace aelab {

/// One job: every override with a single value, in sweep order.
struct JobSpec {
  std::vector<Override> overrides;
  /// Space-separated overrides, as `--dry-run` prints them after `#n : `.
  std::string describe() const;
};

/// Overrides from a config's top-level `sweep:` mapping (key -> sweep expression string, or a
/// YAML list of values; `zip:` -> a mapping of such lists of one length, or a list of such
/// mappings); errors name the file position.
std::vector<Override> sweeps_from_config(const ConfigNode& sweep_section);

/// The most jobs a sweep may expand to unless `--max-jobs` allows more.
constexpr int64_t kDefaultMaxJobs = 10000;

/// All jobs of a sweep, in Hydra's order. ConfigError, before expanding anything, when they
/// would be more than `max_jobs` (a typo such as three `range(1000)`s).
/// `shape` (when given) gets how the jobs were made: `model: 3 x zip(model.latent_dim,
/// trainer.lr): 3 = 9 jobs`.
std::vector<JobSpec> expand_sweeps(const ConfigSource& source,
                                   const std::vector<Override>& config_sweeps,
                                   const std::vector<Override>& command_line,
                                   int64_t max_jobs = kDefaultMaxJobs,
                                   std::string* shape = nullptr);

/// The primary config composed to read its `sweep:` section: as its files give it; or, where
/// they compose only with a group the command line chooses (`decoder: ${encoder}` following an
/// encoder of the researcher's own, with decoder=mlp given), with the first job's overrides.
Composition compose_for_its_sweep(const ConfigSource& source, const std::string& primary_path,
                                  const std::vector<Override>& command_line,
                                  int64_t max_jobs = kDefaultMaxJobs);

/// The fully resolved config of one job (composition, value overrides, interpolation; the
/// `sweep:` and `defaults:` keys removed) and its group choices: a group whose plugin an
/// override set (`prior.name=mog`) is recorded as that plugin, not as the preset it overrode.
Composition compose_job(const ConfigSource& source, const std::string& primary_path,
                        const JobSpec& job);

}  // namespace aelab
