// Stacked jobs: grouping, and the worker that trains a group at once.
#include "framework/sweep/workers/stacked_jobs.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "framework/core/error_message.h"
#include "framework/core/stop_request.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/training.h"
#include "framework/results/run_record.h"
#include "framework/results/table_runs.h"
#include "framework/stacking/stacked_trainer.h"
#include "framework/sweep/progress/job_claim.h"
#include "framework/sweep/workers/job_worker.h"
#include "framework/train/device.h"

namespace aelab {
namespace {

std::string text_at(const ConfigNode& config, const std::string& path) {
  const ConfigNode* node = config.find(path);
  return node && node->is_scalar() && !node->is_null() ? node->text() : "";
}

/// Why the config cannot stack; empty when it can.
std::string why_not_stackable(const ConfigNode& config) {
  const std::string experiment = text_at(config, "experiment.name");
  if (!experiment_declaration(experiment).training_setup)
    return "experiment " + experiment + " does not stack";
  if (text_at(config, "model.name") != "ae") return "only model.name=ae stacks";
  for (const char* part : {"encoder.name", "decoder.name"})
    if (const std::string name = text_at(config, part); name != "mlp" && name != "linear")
      return std::string(part) + "=" + name + " does not stack (mlp and linear do)";
  if (text_at(config, "decoder.skips") == "true") return "decoder.skips does not stack";
  if (text_at(config, "objective.name") != "reconstruction")
    return "only objective.name=reconstruction stacks";
  const ConfigNode* trainer = config.get("trainer");
  return why_trainer_does_not_stack(trainer ? decode_options<TrainerOptions>(*trainer, "trainer")
                                            : TrainerOptions());
}

}  // namespace

std::string stack_key(const ConfigNode& config, std::string* why) {
  const std::string reason = why_not_stackable(config);
  if (!reason.empty()) {
    if (why) *why = reason;
    return "";
  }
  ConfigNode shared = config;
  shared.remove("seed");
  shared.remove("eval");  // read after training, by each run on its own
  for (const char* key : {"lr", "weight_decay", "checkpoint_every", "keep_checkpoint"})
    shared.find("trainer")->remove(key);
  shared.find("model")->remove("latent_dim");
  if (ConfigNode* noise = shared.find("noise"); noise && noise->is_map()) {
    ConfigNode name = *noise->get("name");
    *noise = ConfigNode::map();
    noise->set("name", name);
  }
  return to_yaml(shared);
}

std::string stacks_apart_line(const std::vector<std::vector<const Job*>>& groups) {
  std::vector<std::map<std::string, std::string>> shared;  // each stack key's settings
  std::set<std::string> keys_seen;
  for (const auto& group : groups) {
    if (group.size() < 2) continue;
    const std::string key = stack_key(group.front()->config);
    if (!keys_seen.insert(key).second) continue;
    shared.emplace_back();
    flatten(parse_yaml(key, "stack key"), "", shared.back());
  }
  std::set<std::string> differing;
  for (const auto& settings : shared)
    for (const auto& [path, value] : settings)
      for (const auto& other : shared)
        if (auto found = other.find(path); found == other.end() || found->second != value)
          differing.insert(path);
  if (differing.empty()) return "";
  return fmt::format(
      "stacks apart where {} differ{}: a stack's jobs differ only in seed, trainer.lr, "
      "trainer.weight_decay, model.latent_dim, the noise level, eval and checkpointing",
      join(std::vector<std::string>(differing.begin(), differing.end()), ", "),
      differing.size() == 1 ? "s" : "");
}

std::vector<std::vector<const Job*>> stack_groups(const std::vector<const Job*>& jobs,
                                                  int64_t stack, int64_t workers,
                                                  const std::string& results_dir,
                                                  JobsAlone* alone) {
  std::vector<std::string> keys;
  std::map<std::string, int64_t> sharing;  // jobs per stack key
  for (const Job* job : jobs) {
    std::string why;
    RunContext at{};
    at.results_dir = results_dir;
    at.run_id = job->run_id;
    keys.push_back(stack > 1 ? stack_key(job->config, &why) : "");
    if (!keys.back().empty() && std::filesystem::exists(checkpoint_path(at))) {
      keys.back().clear();
      why = "resumes from its checkpoint";
    }
    if (keys.back().empty() && stack > 1 && alone) (*alone)[why].push_back(job->index);
    if (!keys.back().empty()) ++sharing[keys.back()];
  }
  // As few stacks of at most `stack` jobs as keep every worker busy, the jobs that run alone
  // counted: each key starts with the fewest stacks its jobs fit in, and while the workers
  // outnumber the stacks, the key with the largest stacks gets one more (6 jobs of one key on
  // 4 workers: 2, 2, 1, 1). Fewer jobs than workers: none stack.
  int64_t units = 0;
  for (const std::string& key : keys) units += key.empty() ? 1 : 0;
  std::map<std::string, int64_t> stacks;  // key -> its number of stacks
  for (const auto& [key, count] : sharing) units += stacks[key] = (count + stack - 1) / stack;
  auto largest = [&](const std::string& key) {
    return (sharing[key] + stacks[key] - 1) / stacks[key];
  };
  while (units < workers) {
    std::string widest;
    for (const auto& [key, count] : stacks)
      if (largest(key) > 1 && (widest.empty() || largest(key) > largest(widest))) widest = key;
    if (widest.empty()) break;  // every job alone already
    ++stacks[widest];
    ++units;
  }
  // Each key's jobs over its stacks as evenly as they go, in job order: of N jobs in G stacks,
  // the first N % G hold one more (5 in 2: 3 and 2).
  std::vector<std::vector<const Job*>> groups;
  std::map<std::string, size_t> open_group;  // stack key -> the group still filling
  std::map<std::string, int64_t> opened;     // stack key -> its stacks begun so far
  for (size_t i = 0; i < jobs.size(); ++i) {
    const std::string& key = keys[i];
    auto open = open_group.find(key);
    const int64_t room =
        key.empty() ? 1
                    : sharing[key] / stacks[key] + (opened[key] - 1 < sharing[key] % stacks[key]);
    if (key.empty() || open == open_group.end() ||
        static_cast<int64_t>(groups[open->second].size()) >= room) {
      groups.push_back({jobs[i]});
      if (!key.empty()) {
        open_group[key] = groups.size() - 1;
        ++opened[key];
      }
      continue;
    }
    groups[open->second].push_back(jobs[i]);
  }
  // Jobs that could stack but train alone all the same: say why, as for those that cannot.
  if (alone && stack > 1)
    for (const auto& group : groups) {
      if (group.size() != 1) continue;
      const size_t i = std::find(jobs.begin(), jobs.end(), group.front()) - jobs.begin();
      if (keys[i].empty()) continue;
      (*alone)[sharing[keys[i]] == 1 ? "no other job to run differs from it only in what a "
                                       "stack carries"
               : stacks[keys[i]] == sharing[keys[i]]
                   ? fmt::format("with {} workers, a stack would leave one idle: each job "
                                 "runs on a worker of its own (stacks pay where the jobs "
                                 "outnumber the workers)",
                                 workers)
                   : "left over when the jobs that stack together were split into stacks "
                     "that keep every worker busy"]
          .push_back(group.front()->index);
    }
  return groups;
}

std::string jobs_alone_line(const std::string& why, const std::vector<int64_t>& indices) {
  constexpr size_t kNamed = 8;
  std::string named;
  for (size_t i = 0; i < indices.size() && i < kNamed; ++i)
    named += fmt::format("{}#{}", i ? " " : "", indices[i]);
  if (indices.size() > kNamed) named += fmt::format(" and {} more", indices.size() - kNamed);
  return fmt::format("{} job(s) run alone ({}): {}", indices.size(), named, why);
}

namespace {

/// What a stacked training gave each job: its finished training, or null for a job still
/// training when a signal stopped it (`interrupted` says how).
struct StackedOutcome {
  std::vector<std::shared_ptr<const FinishedTraining>> finished;
  std::string interrupted;
};

/// Trains the jobs' first trainings as one stacked model.
StackedOutcome train_stacked(const std::vector<const Job*>& jobs,
                             const std::vector<RunContext>& contexts) {
  // The data section and the device are part of the stack key: every job shares them.
  const ConfigNode& first = jobs.front()->config;
  const torch::Device device = resolve_device(first.get("device")->as_string());
  auto shared = std::make_shared<const TrainingData>(load_training_data(first, device));
  const DataSplits& data = shared->on_device;
  std::vector<PreparedTraining> prepared;
  std::vector<StackedVariant> variants;
  std::vector<std::shared_ptr<HistoryRecorder>> histories;
  std::vector<torch::Tensor> starts;
  for (size_t k = 0; k < jobs.size(); ++k) {
    const ConfigNode& config = jobs[k]->config;
    prepared.push_back(experiment_declaration_of(config).training_setup(config, data));
    PreparedTraining& training = prepared.back();
    std::string why;
    StackedVariant variant;
    variant.model = stackable_autoencoder(*training.model, &why);
    if (!variant.model) throw Error("stacked training: " + why);
    variant.objective = training.objective.get();
    variant.options = training.options;
    variant.train = training.train;
    variant.val = training.val;
    variant.corrupt = corruption_of(*training.noise);
    variant.validate = training.validate;
    histories.push_back(std::make_shared<HistoryRecorder>());
    // No last epoch's checkpoint unless trainer.keep_checkpoint asks for it: a run resumed from
    // it would run alone, and not know that a stack trained it (--reproduce could not rerun it
    // bit for bit).
    variant.callbacks = run_callbacks(
        training.options, contexts[k], "", histories.back(), {},
        training.options.keep_checkpoint ? Checkpoints::kWithLastEpoch : Checkpoints::kWhenStopped);
    variant.rng_state = at::globalContext().defaultGenerator(device).get_state();
    starts.push_back(variant.rng_state);
    variants.push_back(std::move(variant));
  }
  std::string members;
  std::string run_ids;  // what names the runs outside the sweep too
  for (const Job* job : jobs) {
    members += fmt::format(" #{}", job->index);
    run_ids += (run_ids.empty() ? "" : ", ") + job->run_id;
  }
  say(contexts.front(),
      fmt::format("training {} jobs as one stacked model:{}", jobs.size(), members));
  const auto start = std::chrono::steady_clock::now();
  StackedOutcome out;
  try {
    fit_stacked(variants);
  } catch (const Interrupted& e) {  // the variants still training wrote their checkpoints
    out.interrupted = e.what();
  }
  const double share =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
      static_cast<double>(jobs.size());
  for (size_t k = 0; k < jobs.size(); ++k) {
    const bool ended = out.interrupted.empty() || variants[k].outcome.diverged;
    out.finished.push_back(
        ended ? std::make_shared<FinishedTraining>(FinishedTraining{
                    prepared[k].model, histories[k]->history(), variants[k].outcome, starts[k],
                    variants[k].rng_state, share,
                    fmt::format("stacked: trained at once with the runs {} (jobs{} of its sweep; "
                                "launcher.stack)",
                                run_ids, members),
                    shared})
              : nullptr);
  }
  return out;
}

}  // namespace

int run_claimed_stack(const std::vector<Job>& jobs, const std::vector<int64_t>& seen_stamps,
                      const std::string& results_dir, RunContext context) {
  std::vector<const Job*> claimed;
  std::vector<std::unique_ptr<JobClaim>> claims;
  std::vector<RunContext> contexts;
  for (size_t i = 0; i < jobs.size(); ++i) {
    int refusal = kRunEnded;
    std::unique_ptr<JobClaim> claim = claim_job(jobs[i], results_dir, seen_stamps[i], &refusal);
    if (!claim) continue;  // the runner reads what became of it from the results folder
    RunContext own = context;
    own.label = fmt::format("[#{}]", jobs[i].index);
    own.results_dir = results_dir;
    own.run_id = jobs[i].run_id;
    report_epochs_to(claim.get(), own);
    claimed.push_back(&jobs[i]);
    claims.push_back(std::move(claim));
    contexts.push_back(own);
  }
  StackedOutcome stacked;
  if (claimed.size() > 1) {
    // A checkpoint of an interrupted variant records its share of the time, as a run file would.
    for (RunContext& own : contexts)
      own.clock = std::make_shared<RunClock>(1.0 / static_cast<double>(claimed.size()));
    set_cpu_threads(context.threads);
    try {
      stacked = train_stacked(claimed, contexts);
    } catch (const std::exception& e) {
      warn(contexts.front(), fmt::format("stacked training of {} jobs stopped ({}); they run one "
                                         "by one",
                                         claimed.size(), one_line_message(e)));
      stacked = {};
    }
  }
  int exit_code = kRunEnded;
  for (size_t k = 0; k < claimed.size(); ++k) {
    std::string status = "interrupted";
    if (!stacked.interrupted.empty() && !stacked.finished[k]) {
      RunRecord record = interrupted_record(*claimed[k], stacked.interrupted);
      record.wall_seconds = contexts[k].clock->seconds();
      write_run_file(run_file_path(results_dir, claimed[k]->run_id), record);
    } else {
      RunContext own = contexts[k];
      if (!stacked.finished.empty()) own.finished_training = stacked.finished[k];
      status = run_job(*claimed[k], results_dir, own);
    }
    claims[k].reset();
    if (status == "failed") exit_code = kRunFailed;
    if (status == "interrupted" && exit_code != kRunFailed) exit_code = kRunInterrupted;
  }
  return exit_code;
}

}  // namespace aelab
