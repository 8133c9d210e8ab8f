// Rerunning one recorded run and comparing.
#include "framework/sweep/reproduction.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "aelab_git_commit.h"
#include "framework/core/error.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/training.h"
#include "framework/results/run_metrics.h"
#include "framework/sweep/checks/writable_folder.h"
#include "framework/sweep/workers/job_worker.h"
#include "framework/train/blas_kernels.h"

namespace aelab {
namespace {

/// The job a run file records: its config (already normalized when it ran) and group choices.
Job job_of(const RunRecord& record, const std::string& run_file) {
  Job job;
  job.config = parse_yaml(record.config_yaml, run_file + " (config_yaml)");
  job.config_yaml = to_yaml(job.config);
  job.run_id = run_id_of(job.config);
  if (job.run_id != record.run_id)
    throw ConfigError(run_file + ": its run_id " + record.run_id +
                      " is not the hash of its config_yaml (the file was edited, or written by "
                      "an older aelab that hashed configs differently)");
  job.choices = record.choices;
  return job;
}

bool close_enough(double a, double b, bool exact, double tolerance) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (exact) return a == b;
  return std::abs(a - b) <= tolerance * std::max({std::abs(a), std::abs(b), 1e-12});
}

void compare(const MetricTable& recorded, const MetricTable& reproduced, const std::string& prefix,
             const Reproduction& setting, std::vector<MetricCheck>& out) {
  for (const auto& [split, metrics] : recorded)
    for (const auto& [name, value] : metrics) {
      MetricCheck check{prefix + split + "/" + name, value, std::nullopt, false};
      if (auto s = reproduced.find(split); s != reproduced.end())
        if (auto m = s->second.find(name); m != s->second.end()) check.reproduced = m->second;
      check.matches = check.reproduced &&
                      close_enough(value, *check.reproduced, setting.exact, setting.tolerance);
      out.push_back(check);
    }
}

}  // namespace

std::string this_build_commit() { return AELAB_GIT_COMMIT; }

bool Reproduction::all_match() const {
  if (status != "completed" || checks.empty()) return false;
  for (const auto& check : checks)
    if (!check.matches) return false;
  return true;
}

Reproduction reproduce_run(const std::string& run_file, const std::string& out_dir,
                           double tolerance, RunContext context) {
  if (std::filesystem::is_directory(run_file)) {
    // A results folder, or its runs/: one of its run files is meant.
    const std::filesystem::path folder(run_file);
    const std::filesystem::path runs =
        std::filesystem::is_directory(folder / "runs") ? folder / "runs" : folder;
    throw ConfigError("--reproduce " + run_file + ": a folder, not a run file (give one of " +
                      (runs / "<run_id>.h5").string() + ")");
  }
  if (!std::filesystem::is_regular_file(run_file))
    throw ConfigError("--reproduce " + run_file +
                      ": no such run file (give results/<name>/runs/<run_id>.h5)");
  const std::filesystem::path given(run_file);
  if (given.filename() == "summary.h5" &&
      std::filesystem::is_directory(given.parent_path() / "runs"))
    throw ConfigError("--reproduce " + run_file +
                      ": a sweep's summary, not a run file (give one of its runs, " +
                      (given.parent_path() / "runs" / "<run_id>.h5").string() + ")");
  const RunRecord recorded = read_run_file(run_file);
  if (recorded.status != "completed")
    throw ConfigError("--reproduce " + run_file + ": the run's status is " + recorded.status +
                      ", not completed; there are no final metrics to compare");
  Job job = job_of(recorded, run_file);
  std::error_code same_error;
  if (std::filesystem::equivalent(run_file, run_file_path(out_dir, job.run_id), same_error))
    throw ConfigError("--out " + out_dir + ": the rerun would overwrite " + run_file +
                      " itself (give another folder, or leave --out out for <results>/reproduced)");
  check_writable_folder(out_dir, "reproduction folder (--out)");  // before any training
  // Checkpoints left by an interrupted reproduction (of each training stage: the autoencoder,
  // a transfer's classifier, a segmenter's pretraining) would be resumed, not rerun.
  RunContext earlier = context;
  earlier.results_dir = out_dir;
  earlier.run_id = job.run_id;
  remove_checkpoints(earlier);
  Reproduction out;
  out.run_id = recorded.run_id;
  out.recorded_commit = recorded.git_commit;
  out.this_commit = AELAB_GIT_COMMIT;
  out.recorded_device = recorded.device;
  out.tolerance = tolerance;
  if (context.threads <= 0) context.threads = std::max<int64_t>(1, recorded.threads);
  out.status = run_job(job, out_dir, context);
  const RunRecord again = read_run_file(run_file_path(out_dir, job.run_id));
  out.device = again.device;
  out.error = again.error;
  out.recorded_blas = recorded.blas;
  out.blas = again.blas;
  out.recorded_threads = recorded.threads;
  out.threads = again.threads;
  out.recorded_data_hash = recorded.data_hash;
  out.data_hash = again.data_hash;
  // A `-dirty` build is not one version of the code: it can only match within the tolerance.
  const bool clean =
      out.this_commit.find("dirty") == std::string::npos && out.this_commit != "unknown";
  // A run trained in a stack beside runs of other code sizes used other product shapes.
  const auto training = recorded.notes.find("training");
  out.stacked = training != recorded.notes.end() && training->second.rfind("stacked", 0) == 0;
  // Other BLAS kernels round products otherwise (OPENBLAS_CORETYPE, another CPU).
  out.exact = clean && out.recorded_commit == out.this_commit && out.recorded_device == "cpu" &&
              out.device == "cpu" && out.recorded_threads == out.threads && !out.stacked &&
              same_blas_kernels(out.recorded_blas, out.blas);
  compare(recorded.metrics, again.metrics, "", out, out.checks);
  for (const auto& [name, table] : recorded.baselines) {
    auto it = again.baselines.find(name);
    compare(table, it == again.baselines.end() ? MetricTable{} : it->second, baseline_prefix(name),
            out, out.checks);
  }
  return out;
}

bool Reproduction::data_changed() const {
  return !recorded_data_hash.empty() && !data_hash.empty() && recorded_data_hash != data_hash;
}

std::string describe(const Reproduction& r) {
  std::string out;
  if (r.status != "completed")
    return fmt::format("run {}: the new run {}: {}\nnot reproduced\n", r.run_id, r.status, r.error);
  size_t width = 6;
  for (const auto& check : r.checks) width = std::max(width, check.metric.size());
  out += fmt::format("{:<{}}  {:>22}  {:>22}  {}\n", "metric", width, "recorded", "reproduced", "");
  int matching = 0;
  for (const auto& check : r.checks) {
    matching += check.matches;
    const std::string again =
        check.reproduced ? fmt::format("{:.17g}", *check.reproduced) : std::string("(missing)");
    // Bit for bit the same number is identical whatever the rule allowed (a -dirty build).
    const bool same =
        check.reproduced && (*check.reproduced == check.recorded ||
                             (std::isnan(*check.reproduced) && std::isnan(check.recorded)));
    const std::string verdict = !check.matches      ? "DIFFERS"
                                : (r.exact || same) ? "identical"
                                                    : "within tolerance";
    out += fmt::format("{:<{}}  {:>22.17g}  {:>22}  {}\n", check.metric, width, check.recorded,
                       again, verdict);
  }
  const std::string rule =
      r.exact ? "bit for bit (same build, CPU, BLAS kernels, threads)"
              : fmt::format(
                    "within {:g} relative (build {} vs {}, device {} vs {}{}{}{})", r.tolerance,
                    r.this_commit, r.recorded_commit, r.device, r.recorded_device,
                    // Threads split a sum otherwise: its rounding differs.
                    r.threads == r.recorded_threads
                        ? ""
                        : fmt::format("; threads {} vs {}", r.threads, r.recorded_threads),
                    same_blas_kernels(r.blas, r.recorded_blas)
                        ? ""
                        : fmt::format("; BLAS {} vs {}", r.blas,
                                      r.recorded_blas.empty() ? "not recorded" : r.recorded_blas),
                    r.stacked ? "; the run was trained stacked" : "");
  out += fmt::format("{} of {} metrics of run {} reproduced {}: {}\n", matching, r.checks.size(),
                     r.run_id, rule, r.all_match() ? "REPRODUCED" : "NOT REPRODUCED");
  if (!r.all_match() && r.threads != r.recorded_threads && r.recorded_threads > 0)
    out += fmt::format("the run used {} CPU thread(s): --threads {} reruns it with as many\n",
                       r.recorded_threads, r.recorded_threads);
  if (r.data_changed())
    out += fmt::format(
        "the data differ from the run's: its samples and labels hashed {}, these {} (the files "
        "under data.root were replaced or changed since the run)\n",
        r.recorded_data_hash, r.data_hash);
  return out;
}

}  // namespace aelab
