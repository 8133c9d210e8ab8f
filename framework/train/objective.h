// Objectives: what the trainer minimizes. An objective reads the model's named outputs and the
// batch's targets; the experiment chooses it (reconstruction, negative ELBO, cross-entropy).
#pragma once

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>

#include "framework/core/registry.h"
#include "framework/data/batch.h"
#include "framework/models/model.h"

namespace aelab {

/// The scalar loss of a `reconstruction` against its clean `target`, with its gradient with
/// respect to the reconstruction written into `gradient` (resized as needed), without autograd.
using ReconstructionGradient = std::function<torch::Tensor(
    const torch::Tensor& reconstruction, const torch::Tensor& target, torch::Tensor& gradient)>;

/// The loss of sigmoid(`logits`) as a reconstruction of `target`, with its gradient with respect
/// to the logits (through the sigmoid, as autograd takes it) written into `gradient`; the
/// logits' elements are overwritten by the sigmoid. An undefined loss, and nothing written, where
/// it does not take these tensors.
using SigmoidReconstructionGradient = std::function<torch::Tensor(
    const torch::Tensor& logits, const torch::Tensor& target, torch::Tensor& gradient)>;

/// The losses of K stacked variants at once: reconstructions and clean targets [K, B, D] (one
/// batch of each variant, flattened) to a [K] tensor whose k-th element is what loss() gives
/// variant k (to float rounding), differentiable. A stacked training takes one batched loss a
/// step instead of K: on a GPU, K times fewer kernels.
using StackedReconstructionLoss = std::function<torch::Tensor(const torch::Tensor& reconstructions,
                                                              const torch::Tensor& targets)>;

/// Base of objective plugins (`objective.name`).
class Objective {
 public:
  virtual ~Objective() = default;
  /// The scalar loss of `outputs`, the model's outputs for a (possibly corrupted) `batch.x`;
  /// targets are the clean `batch.x` or `batch.y`.
  virtual torch::Tensor loss(ModelImpl& model, const ModelOutputs& outputs, const Batch& batch) = 0;
  /// For an objective that is a function of the `reconstruction` output and the clean input
  /// alone: that function and its gradient, by the formulas autograd uses, for training steps
  /// written out by hand (DenseStep). Empty for the rest.
  virtual ReconstructionGradient reconstruction_gradient() const { return nullptr; }
  /// The same function of a reconstruction that ends in a sigmoid, taken from before the sigmoid
  /// in one pass, with the bits of the sigmoid then reconstruction_gradient(). Empty where the
  /// objective has no such pass.
  virtual SigmoidReconstructionGradient sigmoid_reconstruction_gradient() const { return nullptr; }
  /// For an objective that is a function of the `reconstruction` output and the clean input
  /// alone: that function over a stack of variants. Empty for the rest (each variant's loss is
  /// then taken on its own).
  virtual StackedReconstructionLoss stacked_reconstruction_loss() const { return nullptr; }
};

/// Shared facts objectives are built with (none yet).
struct ObjectiveContext {};

/// Registry of objective plugins.
Registry<Objective, ObjectiveContext>& objective_registry();

/// Builds the objective a config section names (`{name: reconstruction, loss: bce}`).
std::shared_ptr<Objective> make_objective(const ConfigNode& section);

/// Builds the objective `name` with its default options.
std::shared_ptr<Objective> make_objective(const std::string& name);

}  // namespace aelab
