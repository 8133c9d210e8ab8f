// The optimizer a `trainer:` section describes, its parameter groups, and freezing parts of a
// model by module path between phases.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "framework/train/trainer_options.h"

namespace aelab {

/// An optimizer and the base learning rate of each of its parameter groups.
struct OptimizerSetup {
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  std::vector<double> base_lrs;  ///< one per param group, before schedule and phase scale
};

/// Adam, AdamW or SGD over `model`'s parameters: one group per `param_groups` entry (its
/// parameters by prefix, first match wins), then a group of the rest. ConfigError when a prefix
/// matches no parameter.
OptimizerSetup make_optimizer(torch::nn::Module& model, const TrainerOptions& options);

/// Sets every group's learning rate to `scheduled_lr(base)` times `scale`.
void set_learning_rates(OptimizerSetup& setup, int64_t epoch, double scale,
                        const TrainerOptions& options);

/// The phase in force at `epoch` (the last one whose from_epoch <= epoch), or nullptr.
const PhaseOptions* phase_at(const TrainerOptions& options, int64_t epoch);

/// Freezes the parameters under `prefixes` (no gradient, so no update, and their modules in eval
/// mode) and unfreezes the rest. Call after model.train(). ConfigError for a prefix that names
/// no parameter.
void apply_freezing(torch::nn::Module& model, const std::vector<std::string>& prefixes);

/// True when the dotted parameter or module name `name` lies under `prefix` (`encoder` covers
/// `encoder.layers.0.weight`, not `encoder2.weight`).
bool under_prefix(const std::string& name, const std::string& prefix);

}  // namespace aelab
