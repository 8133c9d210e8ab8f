// Overrides that change no training: `trainer.momentum=0.5` where every job trains with Adam. The
// key is in each job's config (so it changes the run ids), but given the job's other values its
// run never uses it. Said as a warning; the configs stay as they are, and so do earlier run ids.
#pragma once

#include <string>
#include <vector>

#include "framework/config/override.h"
#include "framework/sweep/jobs/job.h"

namespace aelab {

/// One warning per override of `overrides` whose key no job of `jobs` uses.
std::vector<std::string> inert_override_warnings(const std::vector<Override>& overrides,
                                                 const std::vector<Job>& jobs);

}  // namespace aelab
