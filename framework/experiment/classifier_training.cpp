// Two-phase classifier training.
#include "framework/experiment/classifier_training.h"

#include <fmt/format.h>

#include <cmath>

#include "framework/experiment/training.h"
#include "framework/train/objective.h"

namespace aelab {
namespace {

/// Classifies the test set once the frozen phase ends.
class ClassifyAfterEpoch : public TrainerCallback {
 public:
  ClassifyAfterEpoch(FeatureClassifierImpl& model, int64_t epoch, const LabelledSet& test,
                     int64_t classes, int64_t batch_size)
      : model_(model), epoch_(epoch), test_(test), classes_(classes), batch_size_(batch_size) {}
  void on_epoch_end(const EpochSummary& summary) override {
    if (summary.epoch != epoch_) return;
    model_.eval();
    result_ = classify([&](const torch::Tensor& x) { return model_.logits(x); }, test_, classes_,
                       batch_size_);
  }
  const Classification& result() const { return result_; }

 private:
  FeatureClassifierImpl& model_;
  int64_t epoch_;
  const LabelledSet& test_;
  int64_t classes_, batch_size_;
  Classification result_;
};

}  // namespace

std::string untrained_classifier_warning(const RunRecord& record, int64_t classes) {
  const auto split = record.history.find("val");
  if (split == record.history.end()) return "";
  const auto loss = split->second.find("cross_entropy");
  if (loss == split->second.end() || loss->second.empty()) return "";
  const double guess = std::log(static_cast<double>(classes));
  if (loss->second.back() <= guess) return "";
  return fmt::format(
      "the classifier's validation cross-entropy ended at {:.3f}, above "
      "ln {} = {:.3f} of a uniform guess: it has hardly trained, and its "
      "accuracy says little (give it more steps: transfer.frozen_epochs, "
      "transfer.min_epoch_samples, transfer.lr)",
      loss->second.back(), classes, guess);
}

const std::vector<std::string>& classifier_schedule_keys() {
  // step_size and gamma belong to a step schedule, which lr_schedule=constant leaves unused.
  static const std::vector<std::string> keys{
      "epochs",        "batch_size",   "lr",     "lr_schedule",      "step_size", "gamma",
      "warmup_epochs", "param_groups", "phases", "checkpoint_every", "init_from", "init_modules"};
  return keys;
}

TrainerOptions classifier_trainer(const TrainerOptions& trainer,
                                  const ClassifierSchedule& schedule) {
  TrainerOptions options = trainer;
  options.epochs = schedule.frozen_epochs + schedule.finetune_epochs;
  options.batch_size = schedule.batch_size;
  options.lr = schedule.lr;
  options.lr_schedule = "constant";
  options.warmup_epochs = 0;
  options.param_groups.clear();
  options.checkpoint_every = 0;
  options.init_from.reset();
  options.init_modules.clear();
  const double finetune_scale = schedule.lr > 0 ? schedule.finetune_lr / schedule.lr : 1.0;
  options.phases = {PhaseOptions{1, schedule.frozen, 1.0},
                    PhaseOptions{schedule.frozen_epochs + 1, {}, finetune_scale}};
  if (schedule.frozen_epochs == 0) options.phases.erase(options.phases.begin());
  return options;
}

ClassifierOutcome train_classifier(FeatureClassifierImpl& model, const ClassifierSchedule& schedule,
                                   const TrainerOptions& trainer, const LabelledSet& train,
                                   const LabelledSet& val, const LabelledSet& test, int64_t classes,
                                   const RunContext& context, RunRecord& record) {
  const TrainerOptions options = classifier_trainer(trainer, schedule);
  const int64_t batch = options.eval_batch_size;
  auto logits = [&](const torch::Tensor& x) { return model.logits(x); };
  ClassifierOutcome outcome;
  auto after_frozen =
      std::make_shared<ClassifyAfterEpoch>(model, schedule.frozen_epochs, test, classes, batch);
  auto validate = [&](const LabelledSet& set) {
    Classification result = classify(logits, set, classes, batch);
    return std::map<std::string, double>{{"accuracy", result.accuracy},
                                         {"cross_entropy", result.cross_entropy}};
  };
  auto objective = make_objective("cross_entropy");
  if (schedule.frozen_epochs == 0) {
    model.eval();
    after_frozen->on_epoch_end(EpochSummary{0, options.epochs, {}, 0});
  }
  // No checkpoints: after the frozen phase, `after_frozen` holds what none would restore. A
  // stop reruns the classifier from its start (a few epochs on few labels).
  TrainingJob job{model,   *objective, options,        train,        val,
                  nullptr, validate,   {after_frozen}, "classifier", Checkpoints::kNone};
  // Its epochs told apart from the pretraining's.
  outcome.diverged = !train_model(job, context.for_stage("classifier"), record);
  if (outcome.diverged) return outcome;
  const std::string untrained = untrained_classifier_warning(record, classes);
  if (!untrained.empty()) warn(context, untrained);
  outcome.after_frozen = after_frozen->result();
  model.eval();
  outcome.final = classify(logits, test, classes, batch);
  return outcome;
}

}  // namespace aelab
