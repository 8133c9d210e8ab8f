// The training loop: an objective minimized on minibatches {x, y} drawn from device-resident
// tensors, with the optimizer, schedule, clipping and phases of the `trainer:` section;
// per-epoch metrics go to callbacks; divergence stops the run.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "framework/data/batch.h"
#include "framework/models/model.h"
#include "framework/train/callback.h"
#include "framework/train/objective.h"
#include "framework/train/trainer_options.h"

namespace aelab {

class DenseStep;

/// Runs the loop; knows nothing of files or formats.
class Trainer {
 public:
  Trainer(TrainerOptions options, std::vector<std::shared_ptr<TrainerCallback>> callbacks)
      : options_(std::move(options)), callbacks_(std::move(callbacks)) {}

  /// Corrupts a training input (a noise model); the objective still sees the clean batch.
  using Corruption = std::function<torch::Tensor(const torch::Tensor&)>;
  /// Metrics of the model (in eval mode) on the validation set, by name.
  using Validation = std::function<std::map<std::string, double>(const LabelledSet& val)>;

  /// Trains `model` to minimize `objective` on `train`, calling `validate` on `val` after each
  /// epoch (no validation metrics when null). Tensors already live on the model's device. With
  /// `corrupt`, the model sees corrupted inputs (denoising).
  TrainOutcome fit(ModelImpl& model, Objective& objective, const LabelledSet& train,
                   const LabelledSet& val, const Corruption& corrupt = nullptr,
                   const Validation& validate = nullptr);

 private:
  /// One pass over `train`; the loss summed over samples, in float64. With `dense_step`, it
  /// takes each step instead of autograd.
  double train_epoch(ModelImpl& model, Objective& objective, torch::optim::Optimizer& opt,
                     const LabelledSet& train, const Corruption& corrupt, DenseStep* dense_step,
                     int64_t epoch);
  void notify(const std::function<void(TrainerCallback&)>& event);

  TrainerOptions options_;
  std::vector<std::shared_ptr<TrainerCallback>> callbacks_;
};

/// The summary of epoch `epoch` of `epochs`, whose mean training loss was `train_loss`: where
/// it is not finite the run diverged (`outcome` says so, and why), else the model is validated
/// in eval mode on `val`, where there is a `validate` and a validation split (none with
/// data.val_fraction=0). How the trainer and the stacked trainer end each epoch.
EpochSummary close_epoch(ModelImpl& model, int64_t epoch, int64_t epochs, double train_loss,
                         const Trainer::Validation& validate, const LabelledSet& val,
                         TrainOutcome& outcome);

}  // namespace aelab
