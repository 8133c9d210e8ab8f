// What the sweep's ETA reads from each job: how many epochs it trains, and which jobs should take
// about as long as each other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "framework/sweep/jobs/job.h"

namespace aelab {

/// Each job's epochs (trainer.epochs), or 0 where its config has none (PCA).
std::vector<int64_t> job_epochs(const std::vector<const Job*>& jobs);

/// Each job's kind: its config-group choices and the settings that change its cost many times
/// over (data.subset, the layers, eval.is_samples, ...), as one string. Jobs that differ only in
/// a seed, a learning rate or a latent size are of one kind.
std::vector<std::string> job_kinds(const std::vector<const Job*>& jobs);

}  // namespace aelab
