// data.root as a job's config records it: the absolute folder, so that a run id names the same
// files from any working directory.
#pragma once

#include "framework/core/config_node.h"

namespace aelab {

/// Makes `data`'s `root` an absolute folder without `.`, `..` or a trailing '/' (a leading `~/`
/// is the home folder, which the shell leaves as it is in `data.root=~/x`): one folder written
/// two ways is one run, and the run file says which folder it read. A relative root from two
/// working directories names two folders, and two runs. "" (a dataset's own default place)
/// stays as it is, and so does a root whose absolute form cannot be had.
void make_data_root_absolute(ConfigNode& data);

}  // namespace aelab
