// A run's id: a hash of its normalized job config, and what makes two runs the same run.
#pragma once

#include <string>

#include "framework/core/config_node.h"

namespace aelab {

/// The run id of a normalized config: a hash of its YAML without the keys that cannot change a
/// result (`trainer.keep_checkpoint`), so keeping a checkpoint reruns nothing, and without
/// `trainer.precision` when it is the default (fp32), so earlier runs keep their ids.
std::string run_id_of(const ConfigNode& config);

/// What makes two runs the same run wherever they are: run_id_of() of their config without the
/// sweep's `name` (a results folder's, part of the run id), so one config run in two folders
/// under two names counts once.
std::string same_run_key(const ConfigNode& config);

}  // namespace aelab
