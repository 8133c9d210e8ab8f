// The Slurm launcher: one job array for the sweep's pending jobs, submitted with sbatch; the
// submitting process returns at once. Each array task runs `run_sweep --run-array LIST
// --job-index $SLURM_ARRAY_TASK_ID` on the same results folder, against the job list frozen at
// submission (`slurm/submission-<n>.jobs`). Before its time limit (SIGUSR1 from
// `--signal=B:USR1@signal_seconds`, or `scancel --full --signal=USR1`) the task checkpoints,
// ends as interrupted and requeues itself. Slurm's own requeue or preemption (SIGTERM) also
// finds it checkpointed. A requeued task resumes from its checkpoint.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/sweep/launcher.h"
#include "framework/sweep/launchers/slurm_options.h"
#include "framework/sweep/launchers/slurm_queue.h"

namespace fs = std::filesystem;

namespace aelab {

/// What sbatch's words say of a submission it refused: that the controller answered and
/// refused what the sweep asked for (a partition, an account, a QOS, a time limit: the input's
/// fault, exit code 2; sbatch words both as "Batch job submission failed: REASON"), that no
/// controller was reached (no configuration, a daemon down), or neither.
enum class SbatchRefusal { kByTheController, kOutOfReach, kUnknown };

static SbatchRefusal refusal_of(const std::string& said) {
  const std::string text = lowercase(said);
  const auto says = [&](const char* words) { return text.find(words) != std::string::npos; };
  if (says("unable to contact") || says("connect failure") || says("connection") ||
      says("timed out") || says("zero bytes were transmitted") || says("not responding") ||
      says("temporarily") || says("try again") || says("authentication") || says("munge") ||
      says("configuration source") || says("slurm.conf"))
    return SbatchRefusal::kOutOfReach;
  if (says("submission failed:") || says("invalid") || says("unrecognized option"))
    return SbatchRefusal::kByTheController;
  return SbatchRefusal::kUnknown;
}

/// One job array per submission.
class SlurmLauncher : public Launcher {
 public:
  SlurmLauncher(SlurmLauncherOptions options, const LaunchContext& context)
      : options_(std::move(options)), context_(context) {
    check_slurm_options(options_, context_);
  }

  bool runs_here() const override { return false; }
  int64_t threads() const override {
    return context_.threads > 0 ? context_.threads : options_.cpus_per_task;
  }
  std::string describe(size_t count) const override {
    return fmt::format("as a Slurm array of {} task(s)", count);
  }

  void check() const override {
    int code = 0;
    command_output("command -v sbatch", code);
    if (code != 0)
      throw ConfigError(
          "launcher=slurm: sbatch is not on PATH (run on a Slurm login node, or use "
          "launcher=local)");
  }

  std::string submission_preview(size_t count) const override {
    const int submission = next_submission();
    return fmt::format(
        "the script that sbatch would get, {}:\n{}",
        (folder() / fmt::format("submission-{}.sh", submission)).string(),
        script_text(count, (folder() / fmt::format("submission-{}.jobs", submission)).string()));
  }

  std::map<std::string, std::string> still_queued(
      const std::vector<std::string>& run_ids) const override {
    std::vector<std::string> warnings;
    std::map<std::string, std::string> queued =
        jobs_still_queued(folder().string(), run_ids, squeue_on_path(), warnings);
    for (const auto& warning : warnings)
      std::cerr << "warning: " << warning
                << ": its jobs are submitted again; each runs once (claims), and a task that "
                   "finds its job taken ends at once\n";
    return queued;
  }

  void launch(const std::vector<LaunchedJob>& jobs, const LaunchHooks&) override {
    fs::create_directories(folder());
    const int submission = next_submission();
    const fs::path list = folder() / fmt::format("submission-{}.jobs", submission);
    const fs::path script = folder() / fmt::format("submission-{}.sh", submission);
    {
      std::ofstream out(list);
      for (const auto& job : jobs) out << fs::absolute(job.job_file).string() << "\n";
    }
    std::ofstream(script) << script_text(jobs.size(), list.string());
    int code = 0;
    std::string output = command_output("sbatch --parsable " + shell_quoted(script.string()), code);
    if (code != 0) {
      // Nothing was submitted: no submission files left behind, and sbatch's own words, which
      // say why in their last lines (the first is often a DNS lookup it tried first).
      std::error_code ignored;
      fs::remove(list, ignored);
      fs::remove(script, ignored);
      const std::string said = said_in_one_line(output);
      const SbatchRefusal refusal = refusal_of(output);
      const std::string message = fmt::format(
          "launcher=slurm: sbatch submitted nothing (exit code {}): {} ({}; --dry-run shows the "
          "script)",
          code, said.empty() ? "it said nothing" : said,
          refusal == SbatchRefusal::kByTheController
              ? "check launcher.partition and launcher.sbatch_lines"
          : refusal == SbatchRefusal::kOutOfReach
              ? "check that this machine reaches the cluster's controller (run on its login "
                "node), then the same command again"
              : "check launcher.partition and launcher.sbatch_lines, and that this machine "
                "reaches the cluster");
      if (refusal == SbatchRefusal::kByTheController) throw ConfigError(message);
      throw Error(message);
    }
    const SubmittedArray array = parsable_answer(output);
    const std::string at_once = options_.array_parallelism > 0
                                    ? fmt::format(", {} at once", options_.array_parallelism)
                                    : "";
    if (array.id.empty()) {  // taken, but its id is not known: say so, and what that costs
      std::cerr << fmt::format(
          "warning: launcher=slurm: sbatch took the array (exit code 0) but its answer holds no "
          "job id ('{}'): run_sweep --status cannot name it, and submitting again submits its "
          "jobs again (each still runs once)\n",
          said_in_one_line(output, 200));
      std::cout << fmt::format("submitted a Slurm array of {} task(s){}; logs in {}\n", jobs.size(),
                               at_once, folder().string());
      return;
    }
    std::ofstream(folder() / fmt::format("submission-{}.id", submission))
        << submission_id_text(array);
    std::cout << fmt::format(
        "submitted Slurm array job {} ({} task(s){}); logs in {}\n"
        "watch it: {}   or   run_sweep --status {}\n",
        array.id, jobs.size(), at_once, folder().string(), squeue_command(array),
        context_.results_dir);
  }

 private:
  /// Where the submissions' scripts, job lists, ids and logs go.
  fs::path folder() const { return fs::absolute(context_.results_dir + "/slurm"); }

  /// The number of the next submission into this results folder.
  int next_submission() const {
    int submission = 1;
    while (fs::exists(folder() / fmt::format("submission-{}.jobs", submission))) ++submission;
    return submission;
  }

  std::string script_text(size_t count, const std::string& list) const {
    const std::string results = fs::absolute(context_.results_dir).string();
    std::string text = "#!/bin/bash\n";
    text += fmt::format("#SBATCH --job-name=aelab-{}\n", context_.sweep_name);
    text += fmt::format(
        "#SBATCH --array=0-{}{}\n", count - 1,
        options_.array_parallelism > 0 ? "%" + std::to_string(options_.array_parallelism) : "");
    text += fmt::format("#SBATCH --cpus-per-task={}\n", options_.cpus_per_task);
    text += fmt::format("#SBATCH --time={}\n", options_.time_minutes);
    if (!options_.partition.empty())
      text += fmt::format("#SBATCH --partition={}\n", options_.partition);
    if (!options_.mem.empty()) text += fmt::format("#SBATCH --mem={}\n", options_.mem);
    if (options_.gpus > 0) text += fmt::format("#SBATCH --gpus={}\n", options_.gpus);
    text += "#SBATCH --requeue\n#SBATCH --open-mode=append\n";
    text += fmt::format("#SBATCH --signal=B:USR1@{}\n", options_.signal_seconds);
    text += fmt::format("#SBATCH --output={}/slurm/%A_%a.out\n", results);
    for (const auto& line : options_.sbatch_lines) text += "#SBATCH " + line + "\n";
    text += "\n";
    for (const auto& line : options_.setup) text += line + "\n";
    text += fmt::format(
        "{} --run-array {} --job-index \"$SLURM_ARRAY_TASK_ID\" --out {} --threads {} "
        "--cache-dir {}{} &\n",
        shell_quoted(context_.program), shell_quoted(list), shell_quoted(results), threads(),
        shell_quoted(fs::absolute(context_.cache_dir).string()), context_.quiet ? " --quiet" : "");
    text +=
        "task=\"$!\"\n"
        "# SIGUSR1 (the time limit is near, or `scancel --full --signal=USR1`): checkpoint, "
        "requeue.\n"
        "requeue=0\n"
        "trap 'requeue=1; kill -USR1 \"$task\" 2>/dev/null' USR1\n"
        "trap 'kill -TERM \"$task\" 2>/dev/null' TERM\n"
        "# A trapped signal ends `wait` early: wait again until the task has really ended.\n"
        "while kill -0 \"$task\" 2>/dev/null; do wait \"$task\"; done\n"
        "wait \"$task\"; code=$?\n"
        "if [ \"$code\" -eq 3 ] && [ \"$requeue\" -eq 1 ] && \\\n"
        "   [ \"${SLURM_RESTART_COUNT:-0}\" -lt " +
        std::to_string(options_.max_requeues) +
        " ]; then\n"
        "  echo \"aelab: task interrupted; requeueing "
        "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n"
        "  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n"
        "fi\n"
        "exit $code\n";
    return text;
  }

  SlurmLauncherOptions options_;
  LaunchContext context_;
};

AELAB_REGISTER_PLUGIN(launcher_registry(), "slurm", SlurmLauncher, SlurmLauncherOptions)
    .describe("one Slurm job array for the sweep, submitted with sbatch (returns at once)");

}  // namespace aelab
