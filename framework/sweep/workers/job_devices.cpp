// Where a sweep's jobs compute (see job_devices.h).
#include "framework/sweep/workers/job_devices.h"

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

/// Whether this CPU computes in bfloat16 natively (AVX512-BF16; CPUs with AMX have it too).
bool cpu_has_bfloat16() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512bf16");
#else
  return true;  // unknown here: no warning
#endif
}

}  // namespace

bool jobs_want_gpus(const std::vector<const Job*>& jobs) {
  return torch::cuda::is_available() && std::any_of(jobs.begin(), jobs.end(), [](const Job* job) {
           return job->config.get("device")->as_string() != "cpu";
         });
}

int64_t highest_cuda_index(const std::vector<const Job*>& jobs) {
  int64_t highest = -1;
  for (const Job* job : jobs) {
    const std::string device = job->config.get("device")->as_string();  // checked: cuda:N
    if (device.rfind("cuda", 0) == 0)
      highest = std::max<int64_t>(highest, device.size() > 5 ? std::stoll(device.substr(5)) : 0);
  }
  return highest;
}

std::vector<std::string> where_jobs_compute(const std::vector<const Job*>& jobs) {
  std::vector<std::string> lines;
  const bool cuda = torch::cuda::is_available();
  if (!cuda && some_device_is(jobs, "auto"))
    lines.push_back("device=auto: no CUDA device here, so jobs run on the CPU");
  if (std::string note = blas_core_note(); !note.empty() && (!cuda || some_device_is(jobs, "cpu")))
    lines.push_back(note);
  const bool bf16_on_cpu = std::any_of(jobs.begin(), jobs.end(), [&](const Job* job) {
    const ConfigNode* precision = job->config.find("trainer.precision");
    const std::string device = job->config.get("device")->as_string();
    return precision && precision->text() == "bf16" && (device == "cpu" || !cuda);
  });
  if (bf16_on_cpu && !cpu_has_bfloat16())
    lines.push_back(
        "warning: trainer.precision=bf16: this CPU has no bfloat16 instructions (AVX512-BF16), "
        "so LibTorch emulates them and bf16 trains slower than fp32 here (the default): 2.3 to 19 "
        "times slower for an MLP and 13 times for a conv autoencoder on the CPUs measured");
  return lines;
}

}  // namespace aelab
