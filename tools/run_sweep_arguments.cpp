// run_sweep's options, and the check that each one given is read by the mode asked for.
#include "tools/run_sweep_arguments.h"

#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

#include "framework/config/sweep_expansion.h"
#include "framework/core/error.h"
#include "tools/command_line_error.h"

namespace po = boost::program_options;

namespace aelab {

namespace {

/// A mode other than a sweep, the option that asks for it, and the options it reads.
struct Mode {
  std::string option;
  std::string what_it_does;  ///< "--status, which <what_it_does>"
  std::set<std::string> reads;
};

/// What a sweep reads, and so its dry run and --cfg job, which may end any sweep's command.
const std::set<std::string> kSweepReads = {
    "config",         "config-dir", "out",          "dry-run",   "check",    "cfg",       "jobs",
    "threads",        "shard",      "max-failures", "fail-fast", "max-jobs", "cache-dir", "quiet",
    "progress-every", "overrides",  "multirun"};

const std::vector<Mode>& modes() {
  static const std::vector<Mode> all = {
      {"status", "reads the results folder alone", {"status"}},
      {"list",
       "prints the plugins and the config folder's presets",
       {"list", "config-dir", "overrides"}},
      {"parse", "prints how each override parses, composing nothing", {"parse", "overrides"}},
      {"reproduce",
       "reruns the run file's own config",
       {"reproduce", "tolerance", "out", "threads", "cache-dir", "quiet"}},
  };
  return all;
}

/// How an option is named in a message: `--out`, `-c/--config`, or the overrides themselves.
std::string shown(const std::string& name, const po::variables_map& args) {
  if (name == "overrides") {
    const auto& overrides = args["overrides"].as<std::vector<std::string>>();
    return fmt::format("the override{} '{}'", overrides.size() > 1 ? "s" : "",
                       fmt::join(overrides, " "));
  }
  if (name == "config") return "-c/--config";
  return "--" + name;
}

/// The options given on the command line (not left at their defaults), run_sweep's own
/// worker options aside.
std::vector<std::string> given(const po::variables_map& args) {
  static const std::set<std::string> internal = {"run-job", "label", "seen", "run-array",
                                                 "job-index"};
  std::vector<std::string> names;
  for (const auto& [name, value] : args)
    if (!value.defaulted() && !internal.count(name)) names.push_back(name);
  return names;
}

/// ConfigError for an option the asked mode does not read; nothing for a sweep's options.
void check_mode(const po::variables_map& args) {
  if (args.count("help") || args.count("version")) return;
  if (args.count("run-job") || args.count("run-array")) return;  // started by a runner
  for (const Mode& mode : modes()) {
    if (!args.count(mode.option)) continue;
    for (const std::string& name : given(args))
      if (!mode.reads.count(name))
        throw ConfigError(fmt::format(
            "{} does not apply with --{}, which {} (leave {} out)", shown(name, args), mode.option,
            mode.what_it_does,
            name == "overrides" && args["overrides"].as<std::vector<std::string>>().size() > 1
                ? "them"
                : "it"));
    return;
  }
  for (const std::string& name : given(args))
    if (!kSweepReads.count(name))
      throw ConfigError(
          fmt::format("{} applies only with --reproduce RUN_FILE", shown(name, args)));
  if (args.count("cfg") && args.count("check"))
    throw ConfigError(
        "--cfg job and --check: give one (--cfg job prints each job's config, --check lists "
        "the jobs and tries each on its data)");
  if (args.count("cfg") && args.count("dry-run"))
    throw ConfigError(
        "--cfg job and --dry-run: give one (--cfg job prints each job's config, --dry-run "
        "lists the jobs)");
}

}  // namespace

po::options_description run_sweep_options() {
  po::options_description visible("run_sweep [-c CONFIG] [options] [overrides...]");
  visible.add_options()("help,h", "show this help")(
      "version", "print the build: its git commit, LibTorch and BLAS, as run files record them")(
      "config,c", po::value<std::string>()->default_value("config"),
      "primary config: a file, or a name under a config folder (sweeps/bottleneck)")(
      "config-dir", po::value<std::string>(),
      "your own folder of config groups and primary configs, searched before the project's "
      "(./configs, else the project's configs/): its options add to the project's, and shadow "
      "those of the same name (Hydra's -cd DIR says the same)")(
      "out", po::value<std::string>(), "results folder (default: results/<name>)")(
      "dry-run",
      "print one line per job, '#n : overrides', and make a run's checks of the results folder, "
      "launcher and devices; train and write nothing")(
      "check", "--dry-run, and load each dataset and try each job's model on it (a run's checks)")(
      "cfg", po::value<std::string>(), "'job': print each job's composed config as YAML")(
      "parse", "print how each override was understood, one JSON object per line")(
      "list",
      "print every plugin kind with its plugins, descriptions and default options, and every "
      "section of options (run_sweep --list KIND...: only those, such as model or trainer)")(
      "jobs,j", po::value<int64_t>()->default_value(0),
      "worker processes at once, overriding launcher.jobs (0: the launcher's setting)")(
      "threads", po::value<int64_t>()->default_value(0),
      "torch threads per worker (0: cores / jobs, or the Slurm task's CPUs)")(
      "status", po::value<std::string>(),
      "RESULTS_DIR: each job's state (pending, running, completed, diverged, failed, "
      "interrupted) from the results folder alone, wherever the sweep runs")(
      "shard", po::value<std::string>(),
      "i/N: run only the jobs whose index is i modulo N (for other schedulers: start N of these)")(
      "max-failures", po::value<int64_t>()->default_value(0),
      "start no more jobs once this many have failed (0: no limit)")(
      "fail-fast", "start no more jobs after the first failure (--max-failures 1)")(
      "max-jobs", po::value<int64_t>()->default_value(kDefaultMaxJobs),
      "refuse sweeps that expand to more jobs than this")(
      "cache-dir", po::value<std::string>(),
      "folder of what runs share and can remake: PCA bases, decoded datasets, pretrained "
      "autoencoders (default: $AELAB_CACHE_DIR, else $XDG_CACHE_HOME/aelab or ~/.cache/aelab)")(
      "quiet,q",
      "only each job's line and the tally: no per-epoch lines, nor what each dataset holds and "
      "where jobs run")(
      "progress-every", po::value<double>()->default_value(30),
      "SECONDS without a line, after which the sweep says which jobs run, their epochs and its "
      "ETA (0: never; --quiet: never)")(
      "reproduce", po::value<std::string>(),
      "RUN_FILE: rerun one run from the config and seed its file records (into --out, default "
      "<results>/reproduced) and compare every metric with the recorded one")(
      "tolerance", po::value<double>()->default_value(1e-3),
      "with --reproduce: relative tolerance when the build, device, threads or BLAS kernels "
      "differ, or the run was trained stacked (otherwise, on the CPU, bit for bit)");
  return visible;
}

po::variables_map parse_run_sweep_arguments(int argc, char** argv,
                                            const po::options_description& visible) {
  po::options_description hidden;
  hidden.add_options()("overrides", po::value<std::vector<std::string>>()->default_value({}, ""),
                       "")("run-job", po::value<std::vector<std::string>>()->composing(), "")(
      "label", po::value<std::string>()->default_value(""), "")(
      "seen", po::value<std::vector<int64_t>>()->composing(), "")(
      "run-array", po::value<std::string>(), "")("job-index", po::value<int64_t>(), "")(
      // Hydra's --multirun, out of a Hydra user's habit: run_sweep always runs every job.
      "multirun,m", "");
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("overrides", -1);
  // Hydra's own options, out of a Hydra user's habit: what run_sweep takes instead.
  const std::string config_name =
      "-c NAME (a file, or a name under a config folder, such as -c sweeps/bottleneck)";
  const std::string config_path =
      "--config-dir FOLDER (your own config folder, searched before the project's)";
  std::vector<std::string> words;  // Hydra's -cd is --config-dir here too
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    words.push_back(word == "-cd"                ? "--config-dir"
                    : word.rfind("-cd=", 0) == 0 ? "--config-dir=" + word.substr(4)
                                                 : word);
    for (const auto& [hydra, instead] : {std::pair{"-cn", &config_name},
                                         {"--config-name", &config_name},
                                         {"-cp", &config_path},
                                         {"--config-path", &config_path}})
      if (word == hydra || word.rfind(std::string(hydra) + "=", 0) == 0)
        throw ConfigError(std::string(hydra) + " is Hydra's option: run_sweep takes " + *instead);
  }
  po::variables_map args;
  try {
    po::store(po::command_line_parser(words).options(all).positional(positional).run(), args);
    po::notify(args);
  } catch (const po::error& e) {
    throw ConfigError(command_line_error(e, all, "run_sweep"));
  }
  check_mode(args);
  return args;
}

}  // namespace aelab
