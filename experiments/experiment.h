// Experiments: what one run does with a resolved job config and what it records.
#pragma once

#include <string>

#include "framework/core/config_node.h"
#include "framework/core/registry.h"
#include "framework/results/run_record.h"

namespace aelab {

/// Settings of the process running a job (not part of the config, so not of the run id).
struct RunContext {
  std::string label;      ///< progress prefix, such as `[#3]`
  std::string cache_dir;  ///< where PCA bases are cached
  int64_t threads = 1;
  bool quiet = false;  ///< no per-epoch lines
};

/// Base of experiment plugins (`experiment.name`).
class Experiment {
 public:
  virtual ~Experiment() = default;
  /// Runs the job and fills `record` (metrics, history, baselines, images, status). Throws on
  /// failure; a diverged run sets status `diverged` and returns.
  virtual void run(const ConfigNode& config, const RunContext& context, RunRecord& record) = 0;
};

/// Registry of experiment plugins.
Registry<Experiment, RunContext>& experiment_registry();

}  // namespace aelab
