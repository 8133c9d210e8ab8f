// Experiments: what one run does with a resolved job config and what it records. An experiment
// plugin declares beside its class the config sections it reads (and for which models), whether
// it needs the dataset's PCA basis, and which metrics the sweep's progress line shows.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "framework/core/config_node.h"
#include "framework/core/registry.h"
#include "framework/models/model.h"
#include "framework/results/run_record.h"
#include "framework/train/run_clock.h"

namespace aelab {

struct DataSplits;
struct FinishedTraining;
struct PreparedTraining;

/// Settings of the process running a job (not part of the config, so not of the run id).
struct RunContext {
  std::string label;      ///< progress prefix, such as `[#3]`
  std::string cache_dir;  ///< where PCA bases are cached
  int64_t threads = 1;
  bool quiet = false;       ///< no per-epoch lines
  std::string results_dir;  ///< the sweep's results folder (checkpoints, init_from run ids)
  std::string run_id;       ///< this job's run id
  /// Which of the run's trainings this context runs (`pretraining`, `raw classifier`); "" for
  /// the run's own.
  std::string stage;
  /// Told as each training epoch begins and as it ends (stage, epoch, epochs); either may be
  /// empty.
  std::function<void(const std::string&, int64_t, int64_t)> on_epoch_start;
  std::function<void(const std::string&, int64_t, int64_t)> on_epoch_end;
  /// Told what the run does between epochs when it takes a while (`clustering the test codes`);
  /// may be empty.
  std::function<void(const std::string&)> on_activity;
  /// The run's first training, already done beside other runs' (launcher.stack): the run takes
  /// its weights and history instead of training. Null: the run trains.
  std::shared_ptr<const FinishedTraining> finished_training;
  /// The run's wall time, which a resumed checkpoint sets forward; null: not timed.
  std::shared_ptr<RunClock> clock;

  /// This context for another of the run's trainings, named in its progress lines and stage.
  RunContext for_stage(const std::string& name) const {
    RunContext staged = *this;
    staged.label += " " + name;
    staged.stage = stage.empty() ? name : stage + " " + name;
    return staged;
  }
};

/// Base of experiment plugins (`experiment.name`).
class Experiment {
 public:
  virtual ~Experiment() = default;
  /// Runs the job and fills `record` (metrics, history, baselines, images, arrays, weights,
  /// status). Throws on failure; a diverged run sets status `diverged` and returns.
  virtual void run(const ConfigNode& config, const RunContext& context, RunRecord& record) = 0;
};

/// Registry of experiment plugins.
Registry<Experiment, RunContext>& experiment_registry();

/// A config section an experiment reads.
struct SectionUse {
  std::string key;
  /// For which models (null: every model); a section a model does not need stays out of its
  /// job config, so it cannot change the run id.
  std::function<bool(const ModelTraits&)> when;
  bool optional = false;  ///< read only when the composed config has it
};

/// What an experiment plugin declares beside its registration.
struct ExperimentDeclaration {
  std::vector<SectionUse> sections;
  bool fits_pca = false;  ///< the runner fits (and caches) the dataset's PCA basis before the jobs
  /// Metrics on a completed job's progress line (`test/sse`, `baseline/pca/test/sse`), each
  /// shown when the run has it.
  std::vector<std::string> progress_metrics;
  /// In their place where the run has the first of these (a denoiser's output PSNR beside PCA's
  /// and the corrupted input's, rather than its SSE on clean inputs).
  std::vector<std::string> progress_metrics_instead;
  ConfigCheck check;  ///< optional check across the normalized job config
  /// Optional check of a job against its loaded dataset (classes, split sizes) and the runs it
  /// names in `results_dir`, run for every job before the first starts; throws ConfigError or
  /// DataError starting with the key.
  std::function<void(const ConfigNode& job_config, const DataSplits& data,
                     const std::string& results_dir)>
      check_data;
  /// The model a completed run saved, built to receive its weights, where that is not the
  /// `model:` section's (a classifier on an encoder); null: the `model:` section's.
  std::function<std::shared_ptr<ModelImpl>(const ConfigNode& config, const RunRecord& run)>
      saved_model;
  /// Optional: sets up the run's first training, as the run itself does, from its data (on
  /// the job's device), so that runs differing only in what a stacked model carries train as
  /// one (launcher.stack). Null: the experiment's runs never stack.
  std::function<PreparedTraining(const ConfigNode& config, const DataSplits& data)> training_setup;
  /// Optional: the warnings the job's run will give about its PCA baseline (fewer components
  /// than its code), given the rank of the dataset's basis and the values of a sample; --check
  /// gives them before any run.
  std::function<std::vector<std::string>(const ConfigNode& config, int64_t pca_rank,
                                         int64_t features)>
      pca_warnings;
  /// Optional: dotted keys of a job config that its run, given the rest, never reads (a
  /// transfer from a trained encoder does no pretraining: `trainer.epochs`). They leave the job
  /// config as unread sections do, so they change no run id, and an override of them is said
  /// to change nothing.
  std::function<std::vector<std::string>(const ConfigNode& config)> unread_keys;
  /// Optional: warnings about a job on its loaded dataset (eval.cluster on data without
  /// classes), said once per sweep in its checks, before any job starts; the run records them
  /// as notes rather than saying them again.
  std::function<std::vector<std::string>(const ConfigNode& config, const DataSplits& data)>
      data_warnings;
};

/// Declares an experiment plugin's sections, preparation and progress metrics.
bool declare_experiment(const std::string& experiment_name, ExperimentDeclaration declaration);
/// The declaration of `experiment_name`; Error when the plugin made none.
const ExperimentDeclaration& experiment_declaration(const std::string& experiment_name);
/// The declaration of the experiment a config names (`experiment.name`, which it must have).
const ExperimentDeclaration& experiment_declaration_of(const ConfigNode& config);
/// Every section some experiment reads, sorted.
std::vector<std::string> all_experiment_sections();
/// Removes from a normalized job config the keys its run never reads (`unread_keys`).
void drop_unread_keys(const ExperimentDeclaration& declaration, ConfigNode& config);

}  // namespace aelab
