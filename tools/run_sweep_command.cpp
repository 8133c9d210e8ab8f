// run_sweep's command line: compose a config with Hydra's grammar, expand its sweeps, and run
// every job; a library so test programs that register their own plugins can act as run_sweep.
#include "tools/run_sweep_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "framework/config/composition.h"
#include "framework/core/error.h"
#include "framework/core/error_message.h"
#include "framework/core/progress_pace.h"
#include "framework/core/registry.h"
#include "framework/core/source_tree.h"
#include "framework/core/stop_request.h"
#include "framework/core/yaml_io.h"
#include "framework/results/run_record.h"
#include "framework/sweep/checks/dry_run.h"
#include "framework/sweep/jobs/job.h"
#include "framework/sweep/jobs/job_list.h"
#include "framework/sweep/launcher.h"
#include "framework/sweep/progress/sweep_status.h"
#include "framework/sweep/reproduction.h"
#include "framework/sweep/runner.h"
#include "framework/sweep/workers/job_worker.h"
#include "framework/sweep/workers/stacked_jobs.h"
#include "framework/sweep/workers/worker_processes.h"
#include "framework/train/blas_kernels.h"
#include "framework/train/device.h"
#include "tools/option_catalog.h"
#include "tools/run_sweep_arguments.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace aelab {
namespace {

std::string default_config_dir() {
  if (const char* dir = std::getenv("AELAB_CONFIG_DIR"); dir && *dir) return dir;
  if (fs::is_directory("configs")) return "configs";
  return source_tree() + "/configs";
}

/// Says every 5 seconds how far planning has come: each job's config is composed and checked
/// before any runs, half a minute for 40,000 jobs.
PlanningProgress planning_progress(bool quiet) {
  if (quiet) return {};
  auto pace = std::make_shared<ProgressPace>(std::chrono::seconds(5));  // the function is copied
  return [pace](int64_t planned, int64_t total) {
    if (pace->due(planned, total))
      std::cerr << "planning the sweep: " << planned << " of " << total
                << " jobs composed and checked, " << pace->time_left(planned, total) << "\n";
  };
}

/// --cfg job: each job's composed config (of this shard's jobs, with --shard), then the
/// launcher's settings, which are the sweep's rather than a job's.
void print_configs(const SweepPlan& plan, const RunnerOptions& options) {
  bool first = true;
  for (const auto& job : plan.jobs) {
    if (!in_shard(job, options)) continue;
    std::cout << (first ? "" : "---\n") << "# job " << job.index << "\n" << job.config_yaml;
    first = false;
  }
  ConfigNode launcher = ConfigNode::map();
  launcher.set("launcher", plan.launcher);
  std::cout << "---\n# the sweep's launcher, which runs every job above\n" << to_yaml(launcher);
}

/// --reproduce RUN_FILE: the run again, compared metric by metric; 0 when it reproduced.
int reproduce(const po::variables_map& args, const std::string& cache_dir) {
  const std::string run_file = args["reproduce"].as<std::string>();
  const double tolerance = args["tolerance"].as<double>();
  if (!(tolerance >= 0 && tolerance < 1)) throw ConfigError("--tolerance: expected 0 to 1");
  const fs::path runs_dir = fs::path(run_file).parent_path();
  const std::string out = args.count("out")
                              ? args["out"].as<std::string>()
                              : (runs_dir.parent_path() / "reproduced").lexically_normal().string();
  // The recorded thread count, unless --threads says otherwise: threads change float sums.
  const int64_t threads = args["threads"].defaulted() ? 0 : args["threads"].as<int64_t>();
  if (std::filesystem::is_regular_file(run_file)) {
    const std::string recorded =
        run_file_status(run_file).empty() ? "" : read_run_summary(run_file).git_commit;
    if (!recorded.empty() && recorded != this_build_commit())
      std::cerr << "warning: this build is " << this_build_commit() << ", the run was made by "
                << recorded << "; numbers are compared within " << tolerance << " relative\n";
  }
  RunContext context{"[reproduce]", cache_dir, threads, args.count("quiet") > 0};
  Reproduction result = reproduce_run(run_file, out, tolerance, context);
  std::cout << describe(result) << "new run file: " << run_file_path(out, result.run_id) << "\n";
  return result.all_match() ? 0 : 1;
}

/// A worker started by the runner: claims and runs the job its job file holds, or the jobs of
/// several (`--run-job` and `--seen` once per job) as one stacked training.
int run_worker(const po::variables_map& args, const std::string& cache_dir, int64_t threads) {
  install_stop_handlers();
  // A worker writes its epoch lines to the runner's output: when that closes, it stops as the
  // runner does (which may write nothing until this job ends), and the runner says so.
  stop_when_output_closes(/*say_so=*/false);
  stop_with_runner();
  std::vector<Job> jobs;
  for (const auto& path : args["run-job"].as<std::vector<std::string>>())
    jobs.push_back(read_job_file(path));
  std::vector<int64_t> seen =
      args.count("seen") ? args["seen"].as<std::vector<int64_t>>() : std::vector<int64_t>{};
  if (seen.empty()) seen.assign(jobs.size(), 0);
  if (seen.size() != jobs.size()) throw ConfigError("--seen: give one per --run-job (or none)");
  RunContext context{args["label"].as<std::string>(), cache_dir, std::max<int64_t>(1, threads),
                     args.count("quiet") > 0};
  const std::string out = args["out"].as<std::string>();
  if (jobs.size() > 1) return run_claimed_stack(jobs, seen, out, context);
  return run_claimed_job(jobs.front(), out, context, seen.front());
}

/// A Slurm array task: runs line `--job-index` of the job list `--run-array` names, as a sweep
/// of one job on this node.
int run_array_task(const po::variables_map& args, const RunnerOptions& options) {
  if (!args.count("job-index") || !args.count("out"))
    throw ConfigError("--run-array needs --job-index and --out (the Slurm script gives them)");
  const std::string list_path = args["run-array"].as<std::string>();
  std::ifstream list(list_path);
  if (!list) throw DataError(list_path + ": cannot read the task list");
  std::vector<std::string> files;
  for (std::string line; std::getline(list, line);)
    if (!line.empty()) files.push_back(line);
  const int64_t index = args["job-index"].as<int64_t>();
  if (index < 0 || index >= static_cast<int64_t>(files.size()))
    throw ConfigError(fmt::format("--job-index {}: the task list {} has {} job(s)", index,
                                  list_path, files.size()));
  SweepPlan plan;
  plan.results_dir = args["out"].as<std::string>();
  plan.name = read_job_list(plan.results_dir).name;
  ConfigNode one_at_a_time = ConfigNode::map();  // the local launcher, its other options default
  one_at_a_time.set("name", ConfigNode::string("local"));
  one_at_a_time.set("jobs", ConfigNode::integer(1));
  plan.launcher = RegistryCatalog::instance()
                      .find("launcher", "local", "launcher")
                      .normalize(one_at_a_time, "launcher");
  plan.jobs.push_back(read_job_file(files[static_cast<size_t>(index)]));
  RunnerOptions task = options;
  task.writes_job_list = false;
  task.waits_for_others = false;
  return run_plan(plan, task);
}

/// `--shard i/N`: jobs whose index is i modulo N.
void parse_shard(const std::string& text, RunnerOptions& options) {
  const size_t slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument(text);
    size_t used = 0;
    options.shard_index = std::stoll(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument(text);
    options.shard_count = std::stoll(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument(text);
  } catch (const std::logic_error&) {
    throw ConfigError("--shard " + text + ": expected i/N, such as 0/4");
  }
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count)
    throw ConfigError("--shard " + text + ": expected 0 <= i < N, such as 0/4");
}

/// The checks of the options every mode shares; ConfigError naming the option.
void check_shared_options(const po::variables_map& args) {
  const int64_t threads = args["threads"].as<int64_t>();
  if (threads < 0 || threads > 256)
    throw ConfigError("--threads: expected 1 to 256 (or 0: cores / jobs)");
  if (args["jobs"].as<int64_t>() < 0)
    throw ConfigError("--jobs: expected 0 (the launcher's setting) or more");
  if (args["max-jobs"].as<int64_t>() < 1) throw ConfigError("--max-jobs: expected at least 1");
  if (args.count("out") && args["out"].as<std::string>().empty())
    throw ConfigError("--out: the folder name is empty (leave --out out for results/<name>)");
}

/// How the sweep runs: workers, threads, output, when to stop, this shard.
RunnerOptions runner_options(const po::variables_map& args, const std::string& cache_dir) {
  RunnerOptions options;
  options.worker_main = run_sweep_main;
  options.parallel = args["jobs"].as<int64_t>();
  options.threads = args["threads"].as<int64_t>();
  options.cache_dir = cache_dir;
  options.quiet = args.count("quiet") > 0;
  options.progress_every = args["progress-every"].as<double>();
  if (options.quiet && !args["progress-every"].defaulted() && options.progress_every != 0)
    throw ConfigError("--progress-every and --quiet: give one (--quiet prints no progress lines)");
  if (!(options.progress_every >= 0))
    throw ConfigError(fmt::format("--progress-every {}: give seconds, 0 or more (0: never)",
                                  options.progress_every));
  if (args.count("fail-fast") && !args["max-failures"].defaulted() &&
      args["max-failures"].as<int64_t>() != 1)
    throw ConfigError("--fail-fast and --max-failures " +
                      std::to_string(args["max-failures"].as<int64_t>()) +
                      ": give one (--fail-fast is --max-failures 1)");
  options.max_failures = args.count("fail-fast") ? 1 : args["max-failures"].as<int64_t>();
  if (options.max_failures < 0) throw ConfigError("--max-failures: expected 0 (no limit) or more");
  if (args.count("shard")) parse_shard(args["shard"].as<std::string>(), options);
  return options;
}

/// --parse: every override, each its JSON or its error; 2 when one is wrong.
int print_parsed(const std::vector<std::string>& overrides) {
  if (overrides.empty())
    throw ConfigError(
        "--parse: no override to parse (give some after it, such as --parse "
        "trainer.lr=1e-3 model=pca,mlp_ae)");
  int code = 0;
  for (const auto& text : overrides) {
    try {
      std::cout << parse_override(text).to_json() << "\n";
    } catch (const ConfigError& e) {
      std::cout << "{\"error\": " << to_json(ConfigNode::string(e.what())) << "}\n";
      std::cerr << "error: " << e.what() << "\n";
      code = 2;
    }
  }
  return code;
}

/// --cfg: only `job` (Hydra also has `hydra` and `all`; aelab's launcher settings are part of
/// the job's config).
void check_cfg(const po::variables_map& args) {
  if (!args.count("cfg") || args["cfg"].as<std::string>() == "job") return;
  const std::string asked = args["cfg"].as<std::string>();
  throw ConfigError("--cfg " + asked + ": expected 'job'" +
                    (asked == "all" || asked == "hydra"
                         ? " (aelab has no separate hydra config: --cfg job prints each job's "
                           "whole config, then the launcher's settings)"
                         : ""));
}

/// The config folders, a researcher's own (--config-dir) before the project's, as Hydra's.
std::vector<std::string> config_dirs_of(const po::variables_map& args) {
  std::vector<std::string> config_dirs{default_config_dir()};
  if (args.count("config-dir"))
    config_dirs.insert(config_dirs.begin(), args["config-dir"].as<std::string>());
  return config_dirs;
}

int run(int argc, char** argv) {
  po::options_description visible = run_sweep_options();
  po::variables_map args = parse_run_sweep_arguments(argc, argv, visible);
  if (args.count("help")) {
    std::cout << visible
              << "\nOverrides follow Hydra's grammar: key=value, +key=value, "
                 "++key=value, ~key, group=option, a,b,c, range(a,b[,s]), choice(...), glob(...)\n";
    return 0;
  }
  if (args.count("version")) {
    std::cout << this_build() << "\n";
    return 0;
  }
  const auto overrides = args["overrides"].as<std::vector<std::string>>();
  std::string cache_dir =
      args.count("cache-dir") ? args["cache-dir"].as<std::string>() : default_cache_dir();
  // What else lives in the cache folder follows --cache-dir too (data=mnist's root '', which
  // is <cache dir>/mnist), here and in the workers, which inherit the environment.
  if (args.count("cache-dir") && !cache_dir.empty())
    setenv("AELAB_CACHE_DIR", cache_dir.c_str(), /*overwrite=*/1);
  check_shared_options(args);
  if (args.count("run-job")) return run_worker(args, cache_dir, args["threads"].as<int64_t>());
  if (args.count("status")) {
    print_sweep_status(args["status"].as<std::string>());
    return 0;
  }
  const RunnerOptions options = runner_options(args, cache_dir);
  if (args.count("run-array")) return run_array_task(args, options);
  if (args.count("reproduce")) return reproduce(args, cache_dir);
  if (std::string warning = blas_warning(); !warning.empty())
    std::cerr << "warning: " << warning << "\n";
  std::vector<std::string> config_dirs = config_dirs_of(args);
  ConfigSource source(config_dirs);
  if (args.count("list")) {
    print_option_catalog(source, overrides);
    return 0;
  }
  if (args.count("parse")) return print_parsed(overrides);
  check_cfg(args);
  std::string primary = source.resolve_primary(args["config"].as<std::string>());
  // A primary config outside the config folders, beside config groups of its own (-c
  // cfg/exp.yaml with cfg/encoder/tiny.yaml): its folder is searched first, as Hydra's config
  // path is.
  if (std::string own = source.own_folder_of(primary); !own.empty()) {
    config_dirs.insert(config_dirs.begin(), own);
    source = ConfigSource(config_dirs);
  }
  SweepPlan plan =
      plan_sweep(source, primary, overrides, args.count("out") ? args["out"].as<std::string>() : "",
                 args["max-jobs"].as<int64_t>(), planning_progress(args.count("quiet") > 0));
  if (args.count("cfg")) {  // a run or dry run says the warnings once its checks passed
    for (const auto& warning : plan.warnings) std::cerr << "warning: " << warning << "\n";
    print_configs(plan, options);
    return 0;
  }
  if (args.count("dry-run") || args.count("check")) {
    dry_run(plan, options, args.count("check") > 0);
    return 0;
  }
  return run_plan(plan, options);
}

}  // namespace

int run_sweep_main(int argc, char** argv) {
  keep_freed_memory_for_reuse();
  const auto& problems = RegistryCatalog::instance().problems();
  for (const auto& problem : problems) std::cerr << "error: " << problem << "\n";
  if (!problems.empty()) return 1;  // a mistake in this build, not in the user's input
  try {
    return run(argc, argv);
  } catch (const c10::Error& e) {
    std::string message = e.what_without_backtrace();
    std::cerr << "error: LibTorch: " << message.substr(0, message.find('\n')) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << one_line_message(e) << "\n";
    return exit_code_for(e);
  }
}

}  // namespace aelab
