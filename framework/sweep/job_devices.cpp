// Where a sweep's jobs compute (see job_devices.h).
#include "framework/sweep/job_devices.h"

#include <torch/torch.h>

#include <algorithm>

#include "framework/train/blas_kernels.h"

namespace aelab {
namespace {

bool some_device_is(const std::vector<const Job*>& jobs, const std::string& spec) {
  return std::any_of(jobs.begin(), jobs.end(), [&](const Job* job) {
    return job->config.get("device")->as_string() == spec;
  });
}

}  // namespace

bool jobs_want_gpus(const std::vector<const Job*>& jobs) {
  return torch::cuda::is_available() && std::any_of(jobs.begin(), jobs.end(), [](const Job* job) {
           return job->config.get("device")->as_string() != "cpu";
         });
}

std::vector<std::string> where_jobs_compute(const std::vector<const Job*>& jobs) {
  std::vector<std::string> lines;
  const bool cuda = torch::cuda::is_available();
  if (!cuda && some_device_is(jobs, "auto"))
    lines.push_back("device=auto: no CUDA device here, so jobs run on the CPU");
  if (std::string note = blas_core_note(); !note.empty() && (!cuda || some_device_is(jobs, "cpu")))
    lines.push_back(note);
  return lines;
}

}  // namespace aelab
