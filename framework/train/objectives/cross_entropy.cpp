// Cross-entropy over classes: the model's `logits` [N, K] against integer labels `y` [N].
#include "framework/train/objective.h"

namespace aelab {

/// Options of the cross-entropy objective.
struct CrossEntropyOptions {
  double label_smoothing = 0;
  template <class V>
  void visit(V& v) {
    v("label_smoothing", label_smoothing,
      "share of each target's probability spread over all classes (Szegedy et al. 2016)",
      Between{0, 1});
  }
};

/// Mean cross-entropy of softmax(logits) against the labels.
class CrossEntropy : public Objective {
 public:
  CrossEntropy(CrossEntropyOptions options, const ObjectiveContext&) : options_(options) {}

  torch::Tensor loss(ModelImpl&, const ModelOutputs& outputs, const Batch& batch) override {
    if (!batch.y.defined()) throw Error("objective cross_entropy needs labelled data");
    torch::Tensor log_probs = torch::log_softmax(outputs.at("logits"), /*dim=*/1);
    torch::Tensor picked = -log_probs.gather(1, batch.y.unsqueeze(1)).squeeze(1);
    if (options_.label_smoothing == 0) return picked.mean();
    torch::Tensor uniform = -log_probs.mean(1);
    return ((1 - options_.label_smoothing) * picked + options_.label_smoothing * uniform).mean();
  }

 private:
  CrossEntropyOptions options_;
};

AELAB_REGISTER_PLUGIN(objective_registry(), "cross_entropy", CrossEntropy, CrossEntropyOptions)
    .describe("cross-entropy of class logits [N, K] against labels [N]");

}  // namespace aelab
