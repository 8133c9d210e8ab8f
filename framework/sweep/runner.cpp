// Sweep runner.
#include "framework/sweep/runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "experiments/run_inputs.h"
#include "framework/core/yaml_io.h"
#include "framework/results/run_record.h"
#include "framework/sweep/job_worker.h"
#include "framework/sweep/local_launcher.h"

namespace fs = std::filesystem;

namespace aelab {

std::string default_cache_dir() {
  if (const char* dir = std::getenv("AELAB_CACHE_DIR"); dir && *dir) return dir;
  if (const char* dir = std::getenv("XDG_CACHE_HOME"); dir && *dir)
    return std::string(dir) + "/aelab";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/aelab";
  return ".aelab-cache";
}

namespace {

void say(const std::string& line) {
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
}

/// Loads every distinct dataset of the pending jobs once, so bad data fails before any run,
/// and caches its PCA basis so workers never fit it concurrently.
void prepare_data(const std::vector<const Job*>& pending, const std::string& cache_dir) {
  std::set<std::string> seen;
  for (const Job* job : pending) {
    std::string key = to_yaml(*job->config.get("data"));
    if (!seen.insert(key).second) continue;
    DataSplits data = load_data(job->config);
    std::string cache = pca_cache_path(job->config, cache_dir);
    bool cached = fs::exists(cache);
    dataset_pca(job->config, data, cache_dir);
    say(fmt::format("data {}: {} train / {} val / {} test samples of shape [{}]; PCA basis {} {}",
                    job->config.find("data.name")->as_string(), data.train_x.size(0),
                    data.val_x.size(0), data.test_x.size(0),
                    fmt::format("{}", fmt::join(data.sample_shape(), ",")),
                    cached ? "from cache" : "fitted and cached at", cache));
  }
}

void remove_stale_temporaries(const std::string& runs_dir) {
  for (const auto& entry : fs::directory_iterator(runs_dir))
    if (entry.path().filename().string().find(".tmp-") != std::string::npos)
      fs::remove(entry.path());
}

}  // namespace

int run_plan(const SweepPlan& plan, const RunnerOptions& options) {
  std::string runs_dir = plan.results_dir + "/runs";
  std::vector<const Job*> pending;
  std::map<std::string, int64_t> first_index;
  int64_t skipped = 0;
  for (const auto& job : plan.jobs) {
    std::string label = fmt::format("#{} : {}", job.index, job.spec.describe());
    if (auto seen = first_index.find(job.run_id); seen != first_index.end()) {
      say(fmt::format("{}  (same run as #{}: {})", label, seen->second, job.run_id));
      continue;
    }
    first_index[job.run_id] = job.index;
    std::string status = run_file_status(run_file_path(plan.results_dir, job.run_id));
    if (status == "completed" || status == "diverged") {
      say(fmt::format("{}  skipped: {} earlier ({})", label, status, job.run_id));
      ++skipped;
      continue;
    }
    pending.push_back(&job);
  }
  prepare_data(pending, options.cache_dir);  // bad data fails here, before anything is written
  fs::create_directories(runs_dir);
  remove_stale_temporaries(runs_dir);

  int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
  int64_t parallel =
      options.parallel > 0 ? options.parallel : std::max<int64_t>(1, cores / options.threads);
  std::vector<WorkerCommand> commands;
  for (const Job* job : pending) {
    std::string job_file = plan.results_dir + "/jobs/" + job->run_id + ".yaml";
    write_job_file(job_file, *job);
    WorkerCommand command;
    command.arguments = {"--run-job",   job_file,
                         "--out",       plan.results_dir,
                         "--threads",   std::to_string(options.threads),
                         "--cache-dir", options.cache_dir,
                         "--label",     fmt::format("[#{}]", job->index)};
    if (options.quiet) command.arguments.push_back("--quiet");
    command.environment = {"OMP_NUM_THREADS=" + std::to_string(options.threads)};
    commands.push_back(command);
  }
  if (!pending.empty())
    say(fmt::format("running {} job(s), {} at a time, {} thread(s) each; results in {}",
                    pending.size(), std::min<int64_t>(parallel, pending.size()), options.threads,
                    plan.results_dir));

  std::map<std::string, int64_t> counts;
  write_summary(plan.results_dir, plan.name);
  run_local_workers(current_program(), commands, parallel, [&](size_t i, int exit_code) {
    const Job& job = *pending[i];
    std::string path = run_file_path(plan.results_dir, job.run_id);
    std::string status = run_file_status(path);
    if (status.empty()) {
      status = "failed";
      write_run_file(path, failed_record(job, fmt::format("worker exited with code {} without "
                                                          "writing results",
                                                          exit_code)));
    }
    ++counts[status];
    write_summary(plan.results_dir, plan.name);
    std::string line = fmt::format("[#{}] {}", job.index, status);
    if (status == "completed") {
      RunRecord record = read_run_file(path);
      const auto& test = record.metrics["test"];
      const auto& pca_test = record.baselines["pca"]["test"];
      if (test.count("sse")) line += fmt::format("  test/sse {:.4g}", test.at("sse"));
      if (pca_test.count("sse")) line += fmt::format("  pca/test/sse {:.4g}", pca_test.at("sse"));
      for (const char* metric : {"elbo", "nll_is", "denoise_psnr"})
        if (test.count(metric)) line += fmt::format("  test/{} {:.4g}", metric, test.at(metric));
      line += fmt::format("  ({:.1f} s)", record.wall_seconds);
    } else {
      line += ": " + read_run_file(path).error;
    }
    say(line);
  });
  say(fmt::format(
      "{} job(s): {} completed, {} diverged, {} failed, {} skipped; summary: {}/summary.h5",
      plan.jobs.size(), counts["completed"], counts["diverged"], counts["failed"], skipped,
      plan.results_dir));
  return counts["failed"] > 0 ? 1 : 0;
}

}  // namespace aelab
