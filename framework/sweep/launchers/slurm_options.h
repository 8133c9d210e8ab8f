// The Slurm launcher's options (`launcher.*` under launcher=slurm): the `#SBATCH` settings of
// the sweep's job array, and the checks that keep a script sbatch would refuse, or a task that
// could never run its jobs, from being written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "framework/core/options.h"

namespace aelab {

struct LaunchContext;

/// A memory size as sbatch reads it (`4G`, `500M`, `4096`), or empty (the partition's default);
/// a bare number under 256 (megabytes to sbatch) is taken for gigabytes meant (`4`).
struct SlurmMemory {
  std::string violation(const std::string& value) const;
};
std::string violation_hint(const SlurmMemory&, const std::string& value);

/// Partition names (letters, digits, `_`, `-`, `.`), several separated by commas, or empty.
struct SlurmPartitions {
  std::string violation(const std::string& value) const;
};

/// `#SBATCH` options as on sbatch's command line (`--account=lab`), none of which sets what the
/// launcher writes itself (the array, the time limit, the log files, ...).
struct SbatchOptions {
  std::string violation(const std::vector<std::string>& lines) const;
};
/// Which line is wrong, and what to do instead.
std::string violation_hint(const SbatchOptions&, const std::vector<std::string>& lines);

/// Options of the Slurm launcher (`#SBATCH` settings of the job array).
struct SlurmLauncherOptions {
  std::string partition;
  int64_t time_minutes = 60;
  int64_t cpus_per_task = 1;
  std::string mem;
  int64_t gpus = 0;
  int64_t array_parallelism = 0;
  int64_t signal_seconds = 120;
  int64_t max_requeues = 20;
  std::vector<std::string> sbatch_lines;
  std::vector<std::string> setup;
  template <class V>
  void visit(V& v) {
    v("partition", partition,
      "partition to submit to, or several separated by commas (empty: the cluster's default)",
      SlurmPartitions{});
    v("time_minutes", time_minutes, "time limit of each task, in minutes", AtLeast{1});
    v("cpus_per_task", cpus_per_task, "CPUs (and torch threads) per task", AtLeast{1});
    v("mem", mem, "memory per task (Slurm's format: 4G; empty: the partition's default)",
      SlurmMemory{});
    v("gpus", gpus, "GPUs per task", AtLeast{0});
    v("array_parallelism", array_parallelism, "tasks running at once (0: no limit)", AtLeast{0});
    v("signal_seconds", signal_seconds,
      "seconds before the time limit when a task checkpoints and requeues itself", AtLeast{0});
    v("max_requeues", max_requeues,
      "times a task requeues itself at most (an epoch longer than the time limit would loop)",
      AtLeast{0});
    v("sbatch_lines", sbatch_lines,
      "extra `#SBATCH` options, as on sbatch's command line: '[\"--account=lab\"]'",
      SbatchOptions{});
    v("setup", setup, "shell lines each task runs first (module load, environment)");
  }
};

/// Throws ConfigError, naming the options and the fix, where they and the command line
/// (`--jobs`, `--threads`) together ask for what the job array cannot do: a checkpoint signal at
/// or before a task's start, local workers, more threads than CPUs, GPUs asked twice.
void check_slurm_options(const SlurmLauncherOptions& options, const LaunchContext& context);

}  // namespace aelab
