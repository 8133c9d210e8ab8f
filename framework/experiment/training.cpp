// Training wired for experiments.
#include "framework/experiment/training.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "framework/core/stop_request.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"
#include "framework/data/dataset.h"
#include "framework/experiment/model_store.h"
#include "framework/experiment/run_inputs.h"
#include "framework/models/variational_model.h"
#include "framework/train/checkpoint.h"
#include "framework/train/checkpoint_files.h"
#include "framework/train/optimizer.h"

namespace aelab {
namespace {

/// Loads `init_from`'s weights into `model`; says how many tensors from which file.
std::string load_initial_weights(ModelImpl& model, const TrainerOptions& options,
                                 const std::string& results_dir) {
  std::string path = resolve_run_reference(*options.init_from, results_dir);
  RunRecord source = read_referenced_run(path, "trainer.init_from");
  if (source.model_state.empty())
    throw DataError("trainer.init_from: " + path + " holds no model weights (status " +
                    source.status + ")");
  int64_t loaded = 0;
  try {
    loaded = load_model_state(model, source.model_state, options.init_modules,
                              /*require_all=*/false, path);
  } catch (const DamagedModelState& e) {
    throw DataError(std::string("trainer.init_from: ") + e.what());
  } catch (const DataError& e) {
    const ConfigNode config = parse_yaml(source.config_yaml, path);
    const ConfigNode* name = config.find("model.name");
    if (name && name->text() == "pca")
      throw DataError(std::string("trainer.init_from: ") + e.what() +
                      " (a model.name=pca run holds a PCA basis, no network weights to start "
                      "from: give a run of a trained model)");
    const std::vector<std::string> fit = matching_modules(model, source.model_state);
    const std::string take =
        fit.empty() ? ""
                    : ", or take only what fits: trainer.init_modules=[" + join(fit, ",") + "]";
    throw DataError(std::string("trainer.init_from: ") + e.what() + " (give a run " +
                    (options.init_modules.empty() ? "with the same model settings"
                                                  : "whose trainer.init_modules have the same "
                                                    "settings") +
                    take + ")");
  }
  return fmt::format("initialized {} tensor(s) from {}", loaded, path);
}

void initialize_from(ModelImpl& model, const TrainerOptions& options, const RunContext& context) {
  if (options.init_from) say(context, load_initial_weights(model, options, context.results_dir));
}

}  // namespace

void check_training_setup(ModelImpl& model, const TrainerOptions& options,
                          const std::string& results_dir) {
  if (!options.init_from && !options.init_modules.empty())
    throw ConfigError(
        "trainer.init_modules: takes effect only with trainer.init_from (the run "
        "whose weights to take); set it, or drop init_modules");
  make_optimizer(model, options);
  for (size_t i = 0; i < options.phases.size(); ++i) {
    const PhaseOptions& phase = options.phases[i];
    if (options.epochs > 0 && phase.from_epoch > options.epochs)
      throw ConfigError(fmt::format(
          "trainer.phases: the phase from epoch {} never starts, since trainer.epochs={} ends "
          "before it (lower its from_epoch, or raise trainer.epochs)",
          phase.from_epoch, options.epochs));
    apply_freezing(model, phase.freeze);
    const auto parameters = model.parameters();
    if (options.epochs > 0 && !parameters.empty() &&
        std::none_of(parameters.begin(), parameters.end(),
                     [](const auto& p) { return p.requires_grad(); })) {
      int64_t last = options.epochs;  // until the next phase starts
      for (const PhaseOptions& other : options.phases)
        if (other.from_epoch > phase.from_epoch) last = std::min(last, other.from_epoch - 1);
      throw ConfigError(fmt::format(
          "trainer.phases: the phase from epoch {} freezes every parameter ([{}]), so epochs {} "
          "to {} train nothing (leave a part of the model unfrozen)",
          phase.from_epoch, fmt::join(phase.freeze, ", "), phase.from_epoch, last));
    }
  }
  if (options.init_from) load_initial_weights(model, options, results_dir);
}

void say(const RunContext& context, const std::string& line) {
  if (context.quiet) return;
  std::fputs(fmt::format("{} {}\n", context.label, line).c_str(), stdout);
  std::fflush(stdout);
}

void warn(const RunContext& context, const std::string& line) {
  std::fputs(fmt::format("{} warning: {}\n", context.label, line).c_str(), stderr);
}

void doing(const RunContext& context, const std::string& activity) {
  // A stop asked for during the evaluation ends it too (the last epoch's checkpoint resumes it).
  throw_if_stop_requested("while " + activity.substr(0, activity.find(':')));
  if (context.on_activity) context.on_activity(activity);
}

void keep_history(History history, const std::string& prefix, RunRecord& record) {
  for (auto& [split, metrics] : history) record.history[prefix + split] = std::move(metrics);
}

Trainer::Corruption corruption_of(const NoiseModel& noise) {
  if (noise.is_identity()) return nullptr;
  return [&noise](const torch::Tensor& x) { return noise.corrupt(x); };
}

std::shared_ptr<Objective> reconstruction_objective(ModelImpl& model, const ConfigNode& config) {
  if (dynamic_cast<VariationalModel*>(&model)) return make_objective("negative_elbo");
  return make_objective(*config.get("objective"));
}

std::string checkpoint_path(const RunContext& context, const std::string& stage) {
  return checkpoint_file(context.results_dir, context.run_id, stage);
}

void remove_checkpoints(const RunContext& context) {
  std::error_code ignored;
  for (const auto& file : checkpoint_files(context.results_dir, context.run_id))
    std::filesystem::remove(file, ignored);
}

namespace {

/// Tells the run's owner (its claim on the job) as each epoch begins and ends.
class EpochReporter : public TrainerCallback {
 public:
  explicit EpochReporter(const RunContext& context)
      : stage_(context.stage), started_(context.on_epoch_start), done_(context.on_epoch_end) {}
  void on_epoch_start(int64_t epoch, int64_t epochs) override {
    if (started_) started_(stage_, epoch, epochs);
  }
  void on_epoch_end(const EpochSummary& summary) override {
    if (done_) done_(stage_, summary.epoch, summary.epochs);
  }

 private:
  std::string stage_;
  std::function<void(const std::string&, int64_t, int64_t)> started_;
  std::function<void(const std::string&, int64_t, int64_t)> done_;
};

}  // namespace

std::vector<std::shared_ptr<TrainerCallback>> run_callbacks(
    const TrainerOptions& options, const RunContext& context, const std::string& stage,
    const std::shared_ptr<HistoryRecorder>& history,
    const std::vector<std::shared_ptr<TrainerCallback>>& own, Checkpoints checkpoints) {
  std::vector<std::shared_ptr<TrainerCallback>> callbacks{history};
  // A run's (one with a results folder: not a test's training): it writes every
  // checkpoint_every epochs, when a signal interrupts the run, and at the last where asked.
  if (!context.results_dir.empty() && checkpoints != Checkpoints::kNone)
    callbacks.push_back(std::make_shared<CheckpointCallback>(
        checkpoint_path(context, stage), options.checkpoint_every, history,
        [context](const std::string& line) { say(context, line); }, context.clock,
        checkpoints == Checkpoints::kWithLastEpoch));
  if (context.on_epoch_start || context.on_epoch_end)
    callbacks.push_back(std::make_shared<EpochReporter>(context));
  callbacks.insert(callbacks.end(), own.begin(), own.end());
  if (!context.quiet) callbacks.push_back(std::make_shared<ConsoleProgress>(context.label));
  return callbacks;
}

TrainingJob PreparedTraining::job() const {
  return TrainingJob{*model, *objective, options, train, val, corruption_of(*noise), validate};
}

namespace {

/// Keeps a training's curves in `record`; false, with the run marked diverged, when it diverged.
bool keep_training(const TrainOutcome& outcome, History history, RunRecord& record) {
  keep_history(std::move(history), "", record);
  if (!outcome.diverged) return true;
  record.status = "diverged";
  record.error = outcome.message;
  return false;
}

/// Takes the weights and history of a training done beside other runs'. The generator must be
/// where that training found it: otherwise the run set itself up differently (a bug).
bool adopt_finished_training(const TrainingJob& job, const FinishedTraining& done,
                             RunRecord& record) {
  at::Generator generator = at::globalContext().defaultGenerator(job.train.x.device());
  if (!torch::equal(generator.get_state(), done.rng_at_start))
    throw Error(
        "stacked training: this run set itself up differently from its stacked training; "
        "run the sweep without launcher.stack and report it");
  {
    torch::NoGradGuard no_grad;
    auto trained = done.model->named_parameters();
    for (auto& item : job.model.named_parameters()) item.value().copy_(trained[item.key()]);
    auto buffers = done.model->named_buffers();
    for (auto& item : job.model.named_buffers()) item.value().copy_(buffers[item.key()]);
  }
  generator.set_state(done.rng_at_end);
  record.notes["training"] = done.note;
  return keep_training(done.outcome, done.history, record);
}

}  // namespace

bool train_model(const TrainingJob& job, const RunContext& context, RunRecord& record) {
  if (context.finished_training && job.stage.empty())
    return adopt_finished_training(job, *context.finished_training, record);
  initialize_from(job.model, job.options, context);
  auto history = std::make_shared<HistoryRecorder>();
  TrainOutcome outcome;
  try {
    outcome = Trainer(job.options, run_callbacks(job.options, context, job.stage, history,
                                                 job.callbacks, job.checkpoints))
                  .fit(job.model, job.objective, job.train, job.val, job.corrupt, job.validate);
  } catch (const Interrupted& stopped) {
    // `in pretraining epoch 2`, not the run's own epoch 2.
    std::string why = stopped.what();
    if (const size_t at = why.find(" in epoch "); !context.stage.empty() && at != std::string::npos)
      why.replace(at, 10, " in " + context.stage + " epoch ");
    throw Interrupted(why);
  }
  return keep_training(outcome, history->history(), record);
}

TrainingData load_training_data(const ConfigNode& config, const torch::Device& device) {
  TrainingData data{to_yaml(*config.get("data")), device, load_data(config), {}};
  data.on_device = data.loaded.to(device);
  return data;
}

TrainingData data_for_run(const ConfigNode& config, const RunContext& context,
                          const torch::Device& device) {
  const TrainingData* shared =
      context.finished_training ? context.finished_training->data.get() : nullptr;
  if (shared && shared->device == device && shared->data_yaml == to_yaml(*config.get("data")))
    return *shared;
  return load_training_data(config, device);
}

}  // namespace aelab
