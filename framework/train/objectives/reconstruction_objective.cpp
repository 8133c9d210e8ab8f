// The reconstruction objective: the model's `reconstruction` against the clean input, by mean
// squared error or by binary cross-entropy (pixels read as Bernoulli probabilities).
#include "framework/train/fused_mse.h"
#include "framework/train/fused_sigmoid_mse.h"
#include "framework/train/objective.h"

namespace aelab {

/// Options of the reconstruction objective.
struct ReconstructionObjectiveOptions {
  std::string loss = "mse";
  template <class V>
  void visit(V& v) {
    v("loss", loss,
      "mse (mean squared error per pixel) or bce (binary cross-entropy per pixel; the decoder "
      "must end in a sigmoid)",
      OneOf{{"mse", "bce"}});
  }
};

namespace {

/// The gradient backward() starts from: a scalar one.
torch::Tensor backward_seed(const torch::Tensor& like) { return torch::ones({}, like.options()); }

}  // namespace

/// Mean per-pixel error of the reconstruction of a (possibly corrupted) input against the input.
class ReconstructionObjective : public Objective {
 public:
  ReconstructionObjective(ReconstructionObjectiveOptions options, const ObjectiveContext&)
      : options_(std::move(options)) {}

  torch::Tensor loss(ModelImpl&, const ModelOutputs& outputs, const Batch& batch) override {
    const torch::Tensor& reconstruction = outputs.at("reconstruction");
    if (options_.loss == "bce") return torch::binary_cross_entropy(reconstruction, batch.x);
    return torch::mse_loss(reconstruction, batch.x);
  }

  /// The loss above and, as loss.backward() would give it, its gradient.
  ReconstructionGradient reconstruction_gradient() const override {
    if (options_.loss == "bce")
      return [](const torch::Tensor& reconstruction, const torch::Tensor& target,
                torch::Tensor& gradient) {
        at::binary_cross_entropy_backward_out(gradient, backward_seed(reconstruction),
                                              reconstruction, target, {}, at::Reduction::Mean);
        return torch::binary_cross_entropy(reconstruction, target);
      };
    return
        [squares = torch::Tensor()](const torch::Tensor& reconstruction,
                                    const torch::Tensor& target, torch::Tensor& gradient) mutable {
          if (fused_mse_applies(reconstruction, target))
            return fused_mse(reconstruction, target, gradient, squares);
          at::mse_loss_backward_out(gradient, backward_seed(reconstruction), reconstruction, target,
                                    at::Reduction::Mean);
          return torch::mse_loss(reconstruction, target);
        };
  }

  /// Each variant's mean over its batch's pixels, as loss() reduces it.
  StackedReconstructionLoss stacked_reconstruction_loss() const override {
    if (options_.loss == "bce")
      return [](const torch::Tensor& reconstructions, const torch::Tensor& targets) {
        return torch::binary_cross_entropy(reconstructions, targets, {}, at::Reduction::None)
            .mean({1, 2});
      };
    return [](const torch::Tensor& reconstructions, const torch::Tensor& targets) {
      return torch::mse_loss(reconstructions, targets, at::Reduction::None).mean({1, 2});
    };
  }

  /// Mean squared error through the sigmoid in one pass, where it gives ATen's bits.
  SigmoidReconstructionGradient sigmoid_reconstruction_gradient() const override {
    if (options_.loss != "mse") return nullptr;
    return [squares = torch::Tensor()](const torch::Tensor& logits, const torch::Tensor& target,
                                       torch::Tensor& gradient) mutable {
      if (!fused_sigmoid_mse_applies(logits, target)) return torch::Tensor();
      return fused_sigmoid_mse(logits, target, gradient, squares);
    };
  }

 private:
  ReconstructionObjectiveOptions options_;
};

AELAB_REGISTER_PLUGIN(objective_registry(), "reconstruction", ReconstructionObjective,
                      ReconstructionObjectiveOptions)
    .describe("reconstruction against the clean input: mse or bce");

}  // namespace aelab
