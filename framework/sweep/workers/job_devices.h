// Where a sweep's jobs compute, and the lines that tell the user so at its start.
#pragma once

#include <string>
#include <vector>

#include "framework/sweep/jobs/job.h"

namespace aelab {

/// Whether some job may compute on a GPU (its device is not `cpu`) and CUDA is there.
bool jobs_want_gpus(const std::vector<const Job*>& jobs);

/// The highest index of a CUDA device some job names (`cuda` is 0, `cuda:1` 1), which a
/// scheduler must then give it; -1 where none names one.
int64_t highest_cuda_index(const std::vector<const Job*>& jobs);

/// The lines for the sweep's start: that `device=auto` falls back to the CPU when there is no
/// CUDA, blas_core_note() when some job computes on the CPU, and a warning when some job trains
/// in bf16 on a CPU that has no bfloat16 instructions.
std::vector<std::string> where_jobs_compute(const std::vector<const Job*>& jobs);

}  // namespace aelab
