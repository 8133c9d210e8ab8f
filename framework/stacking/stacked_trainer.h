// Trains K autoencoders as one stacked model (launcher.stack): one batched forward and backward
// per step, each variant with its own data order, input corruption, random generator, optimizer
// settings, callbacks and divergence, so each ends as its own run would have (to float
// rounding). Between epochs each variant's weights and optimizer state are copied back into
// its own model and a LibTorch optimizer, so its validation, checkpoints and history are those
// of an ordinary run.
#pragma once

#include <memory>
#include <vector>

#include "framework/stacking/stacked_autoencoder.h"
#include "framework/train/trainer.h"

namespace aelab {

/// One variant of a stacked training.
struct StackedVariant {
  AutoencoderImpl* model = nullptr;
  Objective* objective = nullptr;  ///< the same objective, with the same options, for all
  TrainerOptions options;
  LabelledSet train, val;
  Trainer::Corruption corrupt;   ///< may be null
  Trainer::Validation validate;  ///< may be null
  std::vector<std::shared_ptr<TrainerCallback>> callbacks;
  /// The state of the data device's generator: where the variant's own run would have it as
  /// training starts; where it would leave it, once trained.
  torch::Tensor rng_state;
  /// How its training ended (filled as it goes: a variant that diverged before an interruption
  /// says so here).
  TrainOutcome outcome;
};

/// Why a variant with these trainer options cannot be stacked (a learning-rate schedule, an
/// optimizer other than adam or adamw, ...), naming the option; empty when it can. The sweep
/// runner groups jobs by it, and fit_stacked() checks each variant with it.
std::string why_trainer_does_not_stack(const TrainerOptions& options);

/// Trains every variant, filling each one's `outcome`; they must agree on epochs, batch size,
/// optimizer, training-set size and objective, its options included (Error otherwise; the
/// options are checked on the first step, where each variant's own loss must equal its share
/// of the objective's stacked loss). On Interrupted, the variants still training
/// have their callbacks told (their checkpoints are written) before it is rethrown.
void fit_stacked(std::vector<StackedVariant>& variants);

}  // namespace aelab
