// The lines a sweep starts with about where its jobs compute: device=auto without CUDA, and bf16
// training on a CPU that emulates bfloat16.
#include "framework/sweep/workers/job_devices.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>

#include "framework/core/yaml_io.h"

namespace aelab {
namespace {

Job job_of(const std::string& yaml) {
  Job job;
  job.config = parse_yaml(yaml, "job");
  return job;
}

bool has_line_starting(const std::vector<std::string>& lines, const std::string& start) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.rfind(start, 0) == 0; });
}

TEST(JobDevices, Bf16OnACpuWithoutBfloat16InstructionsIsWarnedOf) {
  const Job bf16 = job_of("device: cpu\ntrainer: {precision: bf16}\n");
  const Job fp32 = job_of("device: cpu\ntrainer: {precision: fp32}\n");
  const Job untrained = job_of("device: cpu\nmodel: {name: pca}\n");
  const std::string warning = "warning: trainer.precision=bf16: this CPU has no bfloat16";
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  const bool emulated = !__builtin_cpu_supports("avx512bf16");
#else
  const bool emulated = false;
#endif
  EXPECT_EQ(has_line_starting(where_jobs_compute({&fp32, &bf16}), warning), emulated);
  EXPECT_FALSE(has_line_starting(where_jobs_compute({&fp32, &untrained}), warning));
  // On a GPU a bf16 job computes there, unless it asks for the CPU.
  const Job on_gpu = job_of("device: cuda\ntrainer: {precision: bf16}\n");
  EXPECT_EQ(has_line_starting(where_jobs_compute({&on_gpu}), warning),
            emulated && !torch::cuda::is_available());
}

TEST(JobDevices, AutoWithoutCudaSaysJobsRunOnTheCpu) {
  const Job automatic = job_of("device: auto\n");
  EXPECT_EQ(has_line_starting(where_jobs_compute({&automatic}), "device=auto: no CUDA device"),
            !torch::cuda::is_available());
}

}  // namespace
}  // namespace aelab
