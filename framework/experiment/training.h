// One function that wires a model, an objective and the `trainer:` section into a training run
// with the callbacks every experiment wants: history, checkpoints, console progress, and the
// weights of an earlier run to start from.
#pragma once

#include "framework/data/dataset.h"
#include "framework/experiment/experiment.h"
#include "framework/models/noise/noise_model.h"
#include "framework/train/checkpoint.h"
#include "framework/train/trainer.h"

namespace aelab {

/// What a training run of an experiment is given.
struct TrainingJob {
  ModelImpl& model;
  Objective& objective;
  const TrainerOptions& options;
  LabelledSet train;
  LabelledSet val;
  Trainer::Corruption corrupt;                                   ///< may be null
  Trainer::Validation validate;                                  ///< may be null
  std::vector<std::shared_ptr<TrainerCallback>> callbacks = {};  ///< the experiment's own
  /// Names the checkpoint of a run's second training (`pretrain`, `classifier`): each training
  /// of a run resumes from its own.
  std::string stage = "";
  /// What its checkpoints hold (Checkpoints); none for a training whose callbacks keep state of
  /// their own (a classifier's accuracy after its frozen phase): a stop reruns it from its start.
  Checkpoints checkpoints = Checkpoints::kWithLastEpoch;
};

/// A training an experiment sets up, owning what its TrainingJob refers to.
struct PreparedTraining {
  std::shared_ptr<ModelImpl> model;
  std::shared_ptr<Objective> objective;
  std::shared_ptr<NoiseModel> noise;  ///< corrupts the inputs (denoising); never null
  TrainerOptions options;
  LabelledSet train, val;
  Trainer::Validation validate;
  /// The job for train_model.
  TrainingJob job() const;
};

/// A run's data as loaded and on its device, with the `data:` section it was loaded for. A
/// stacked training keeps it for its runs, which evaluate on these tensors instead of loading
/// and copying the data again one run after another.
struct TrainingData {
  std::string data_yaml;
  torch::Device device;
  DataSplits loaded, on_device;
};

/// Loads the data of `config` and copies it to `device`.
TrainingData load_training_data(const ConfigNode& config, const torch::Device& device);

/// A run's first training done elsewhere (a stacked trainer): what train_model takes instead.
struct FinishedTraining {
  std::shared_ptr<ModelImpl> model;  ///< the trained weights
  History history;
  TrainOutcome outcome;
  torch::Tensor rng_at_start;  ///< the state of the data device's generator as training began
  torch::Tensor rng_at_end;    ///< and as it ended
  double seconds = 0;          ///< this run's share of the training's wall time
  std::string note;            ///< how it was trained (the run file's /notes/training)
  std::shared_ptr<const TrainingData> data;  ///< what it trained on; may be null
};

/// The run's data on `device`: its finished training's (context.finished_training) where that was
/// loaded for the same `data:` section onto the same device, else loaded now.
TrainingData data_for_run(const ConfigNode& config, const RunContext& context,
                          const torch::Device& device);

/// Loads `trainer.init_from` (if set) into the model, trains it, and records the history into
/// `record`. False when the run diverged (then `record` says so and holds the error). With
/// `context.finished_training`, the run's first training takes those weights and history.
bool train_model(const TrainingJob& job, const RunContext& context, RunRecord& record);

/// The callbacks every training of a run gets: the history (`history`), `checkpoints`, the
/// claim's epoch reports and, unless quiet, a line per epoch; then `own`.
std::vector<std::shared_ptr<TrainerCallback>> run_callbacks(
    const TrainerOptions& options, const RunContext& context, const std::string& stage,
    const std::shared_ptr<HistoryRecorder>& history,
    const std::vector<std::shared_ptr<TrainerCallback>>& own = {},
    Checkpoints checkpoints = Checkpoints::kWithLastEpoch);

/// What training would find wrong only once started, checked on a freshly built model before
/// any job runs: param_groups and phases' freeze names, and init_from's run file, its weights
/// and init_modules. Throws ConfigError or DataError starting with the trainer key.
void check_training_setup(ModelImpl& model, const TrainerOptions& options,
                          const std::string& results_dir);

/// A line on stdout after the job's label (`[#3] ...`), unless the run is quiet.
void say(const RunContext& context, const std::string& line);
/// `[#3] warning: ...` on stderr, even when quiet: what a reader of the results must know.
void warn(const RunContext& context, const std::string& line);
/// Tells the run's owner what it does now outside an epoch (`clustering the test codes`), which
/// the sweep's progress line and --status show until the next epoch begins.
void doing(const RunContext& context, const std::string& activity);

/// Adds `history` to `record`, each split under `prefix` + split (`pretrain_train`, `pca_val`).
void keep_history(History history, const std::string& prefix, RunRecord& record);

/// The noise model as the trainer's input corruption; null for `noise=none`.
Trainer::Corruption corruption_of(const NoiseModel& noise);

/// What a reconstructing model minimizes: the negative ELBO for variational models, else the
/// `objective:` section of `config`.
std::shared_ptr<Objective> reconstruction_objective(ModelImpl& model, const ConfigNode& config);

/// Where a training of the run keeps its checkpoint: `<results_dir>/checkpoints/<run_id>.pt`,
/// or `<run_id>.<stage>.pt` for a named stage.
std::string checkpoint_path(const RunContext& context, const std::string& stage = "");

/// Removes every checkpoint of the run (a finished run needs none: its weights are in the run
/// file).
void remove_checkpoints(const RunContext& context);

}  // namespace aelab
