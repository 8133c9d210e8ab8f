// Checks of the Slurm launcher's options.
#include "framework/sweep/launchers/slurm_options.h"

#include <fmt/format.h>

#include <regex>

#include "framework/core/error.h"
#include "framework/sweep/launcher.h"

namespace aelab {
namespace {

/// Slurm's largest --signal delay, in seconds.
constexpr int64_t kLongestSignalDelay = 65535;

/// The sbatch options the launcher writes itself, with what to set instead. --job-name is not
/// among them: the launcher names the job, but a user's own name for it is welcome.
struct OwnOption {
  const char* long_name;
  const char* short_name;  ///< "" when none
  const char* instead;
};
constexpr OwnOption kOwnOptions[] = {
    {"--array", "-a",
     "the array is the sweep's pending jobs; launcher.array_parallelism=N runs N at once"},
    {"--time", "-t", "set launcher.time_minutes"},
    {"--partition", "-p", "set launcher.partition"},
    {"--cpus-per-task", "-c", "set launcher.cpus_per_task"},
    {"--mem", "", "set launcher.mem"},
    {"--gpus", "-G", "set launcher.gpus"},
    {"--signal", "", "set launcher.signal_seconds"},
    {"--output", "-o", "the tasks' logs go to RESULTS/slurm/ (run_sweep --out)"},
    {"--open-mode", "", "a requeued task appends to its log"},
    {"--requeue", "", "the tasks requeue themselves (launcher.max_requeues)"},
    {"--no-requeue", "", "the tasks requeue themselves (launcher.max_requeues=0 stops that)"},
};

/// The option a `#SBATCH` line gives (`--account` of `--account=lab`, `-p` of `-p gpu`).
std::string option_of(const std::string& line) {
  const size_t end = line.find_first_of("= \t");
  return line.substr(0, end);
}

/// What is wrong with one `#SBATCH` line; "" when nothing is.
std::string sbatch_line_problem(const std::string& line) {
  if (line.empty() || line[0] != '-') {
    // An option without its dashes (`account=lab`, or `requeue`, which the launcher writes).
    static const std::regex bare("[A-Za-z][A-Za-z0-9-]*(=.*)?");
    const std::string dashed = "--" + line;
    const bool undashed = std::regex_match(line, bare);
    const std::string own = undashed ? sbatch_line_problem(dashed) : "";
    if (undashed && (line.find('=') != std::string::npos || !own.empty())) {
      return fmt::format("'{}' is not an option: sbatch's command line writes it {}{}", line,
                         dashed, own.empty() ? "" : ", and " + own);
    }
    return fmt::format(
        "'{}' is not an option: write it as on sbatch's command line, such as "
        "--account=lab",
        line);
  }
  const std::string option = option_of(line);
  for (const OwnOption& own : kOwnOptions)
    if (option == own.long_name || (*own.short_name && option == own.short_name))
      return fmt::format("'{}' sets {}, which the launcher writes itself: {}", line, own.long_name,
                         own.instead);
  return "";
}

}  // namespace

namespace {

/// A bare number under 256: megabytes to sbatch, too few for any task (4 meant 4G).
bool too_few_megabytes(const std::string& value) {
  return !value.empty() && value.size() <= 3 &&
         value.find_first_not_of("0123456789") == std::string::npos && std::stoi(value) < 256;
}

}  // namespace

std::string SlurmMemory::violation(const std::string& value) const {
  static const std::regex memory("[0-9]+([KMGTkmgt][Bb]?)?");
  if (value.empty() || (std::regex_match(value, memory) && !too_few_megabytes(value))) return "";
  return "a memory size sbatch reads (a whole number of megabytes, or one with K, M, G or T: "
         "4G, 500M)";
}

std::string violation_hint(const SlurmMemory&, const std::string& value) {
  if (!too_few_megabytes(value)) return "";
  return fmt::format(
      " ({} alone is {} megabytes to sbatch, too little for a task: {}G for "
      "gigabytes)",
      value, value, value);
}

std::string SlurmPartitions::violation(const std::string& value) const {
  static const std::regex partitions("([A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*)?");
  if (std::regex_match(value, partitions)) return "";
  return "a partition name, or several separated by commas (gpu,cpu)";
}

std::string SbatchOptions::violation(const std::vector<std::string>& lines) const {
  for (const std::string& line : lines)
    if (!sbatch_line_problem(line).empty())
      return "sbatch options as on its command line, other than those the launcher writes";
  return "";
}

std::string violation_hint(const SbatchOptions&, const std::vector<std::string>& lines) {
  for (const std::string& line : lines)
    if (std::string problem = sbatch_line_problem(line); !problem.empty())
      return " (" + problem + ")";
  return "";
}

void check_slurm_options(const SlurmLauncherOptions& options, const LaunchContext& context) {
  const int64_t limit = options.time_minutes * 60;
  if (options.signal_seconds >= limit)
    throw ConfigError(fmt::format(
        "launcher.signal_seconds={} is not below the time limit of launcher.time_minutes={} ({} "
        "s): each task would be told to checkpoint and requeue before it ran (lower "
        "launcher.signal_seconds, or raise launcher.time_minutes)",
        options.signal_seconds, options.time_minutes, limit));
  if (options.signal_seconds > kLongestSignalDelay)
    throw ConfigError(fmt::format(
        "launcher.signal_seconds={}: Slurm signals at most {} seconds "
        "before the time limit (lower launcher.signal_seconds; a few minutes are enough to "
        "checkpoint)",
        options.signal_seconds, kLongestSignalDelay));
  if (context.jobs > 0)
    throw ConfigError(fmt::format(
        "--jobs {}: launcher=slurm runs each job as a task of its array, with no local workers "
        "(launcher.array_parallelism=N limits the tasks that run at once)",
        context.jobs));
  bool asks_gpus = options.gpus > 0;
  for (const std::string& line : options.sbatch_lines) {
    const std::string option = option_of(line);
    const bool gpus = option.rfind("--gpus-per-", 0) == 0 ||
                      (option == "--gres" && line.find("gpu") != std::string::npos);
    if (gpus && options.gpus > 0)
      throw ConfigError(fmt::format(
          "launcher.sbatch_lines: '{}' asks for GPUs beside launcher.gpus={} (ask once: "
          "launcher.gpus=N alone, or the line alone with launcher.gpus=0)",
          line, options.gpus));
    asks_gpus = asks_gpus || gpus;
  }
  if (context.cuda_index >= 0 && options.gpus > 0 && context.cuda_index >= options.gpus)
    throw ConfigError(fmt::format(
        "device: cuda:{} asked for, but launcher.gpus={} gives each task {} GPU(s), numbered from "
        "0 (use device=cuda or auto, or raise launcher.gpus)",
        context.cuda_index, options.gpus, options.gpus));
  if (context.cuda_index >= 0 && !asks_gpus)
    throw ConfigError(
        "device: a CUDA device asked for, but launcher=slurm asks Slurm for no GPU, so each task "
        "would find none (set launcher.gpus=1, or device=auto to take a GPU where a task has "
        "one)");
  if (context.threads > options.cpus_per_task)
    throw ConfigError(fmt::format(
        "--threads {} is more than launcher.cpus_per_task={}: each task's threads would share "
        "its CPUs (set launcher.cpus_per_task={}, which also sets the threads)",
        context.threads, options.cpus_per_task, context.threads));
}

}  // namespace aelab
