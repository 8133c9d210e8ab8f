// Training a classifier head on features in two phases, as transfer learning does: the head
// alone on a frozen feature extractor, then everything fine-tuned at its own learning rate. The
// test set is classified at the end of each phase.
#pragma once

#include <string>
#include <vector>

#include "framework/experiment/experiment.h"
#include "framework/metrics/classification_metrics.h"
#include "framework/models/feature_classifier.h"
#include "framework/train/trainer_options.h"

namespace aelab {

/// The two phases.
struct ClassifierSchedule {
  int64_t frozen_epochs = 1;
  int64_t finetune_epochs = 3;
  double lr = 1e-3;           ///< of the first phase
  double finetune_lr = 3e-4;  ///< of the second
  int64_t batch_size = 128;
  std::vector<std::string> frozen;  ///< module prefixes fixed in the first phase ({} for none)
};

/// The test set classified after each phase.
struct ClassifierOutcome {
  bool diverged = false;
  Classification after_frozen;  ///< after frozen_epochs (or at the start, with none)
  Classification final;
};

/// The trainer options a classifier trains with: `trainer`'s, but for the schedule, which is
/// `schedule`'s (the keys of classifier_schedule_keys()).
TrainerOptions classifier_trainer(const TrainerOptions& trainer,
                                  const ClassifierSchedule& schedule);

/// The `trainer:` keys classifier_trainer() sets whatever the run's config says.
const std::vector<std::string>& classifier_schedule_keys();

/// Trains `model` on `train` (validation metrics on `val`) with the optimizer settings of
/// `trainer` and the phases of `schedule`; `record` gets the history and, when the run
/// diverged, its status.
ClassifierOutcome train_classifier(FeatureClassifierImpl& model, const ClassifierSchedule& schedule,
                                   const TrainerOptions& trainer, const LabelledSet& train,
                                   const LabelledSet& val, const LabelledSet& test, int64_t classes,
                                   const RunContext& context, RunRecord& record);

/// A warning when the classifier's validation cross-entropy after its last epoch (in
/// `record`'s history) is still above ln(classes), that of a uniform guess: the head has hardly
/// trained, and its accuracy says little (a schedule of a few steps, or codes on a scale its
/// initial weights do not suit). "" when it is below, or not recorded.
std::string untrained_classifier_warning(const RunRecord& record, int64_t classes);

}  // namespace aelab
