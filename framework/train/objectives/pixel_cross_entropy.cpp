// Per-pixel cross-entropy for segmentation: `logits` [N, K, H, W] against label maps `y`
// [N, H, W], pixels labelled `ignore_index` left out (Long et al. 2015).
#include "framework/train/objective.h"

namespace aelab {

/// Options of the per-pixel cross-entropy.
struct PixelCrossEntropyOptions {
  int64_t ignore_index = -1;
  template <class V>
  void visit(V& v) {
    v("ignore_index", ignore_index, "label of pixels left out of the loss (unlabelled, borders)");
  }
};

/// Mean cross-entropy over the labelled pixels of every image.
class PixelCrossEntropy : public Objective {
 public:
  PixelCrossEntropy(PixelCrossEntropyOptions options, const ObjectiveContext&)
      : options_(options) {}

  torch::Tensor loss(ModelImpl&, const ModelOutputs& outputs, const Batch& batch) override {
    const torch::Tensor& logits = outputs.at("logits");
    if (!batch.y.defined() || batch.y.dim() != 3 || logits.dim() != 4)
      throw Error(
          "objective pixel_cross_entropy needs logits [N, K, H, W] and label maps "
          "[N, H, W]");
    torch::Tensor log_probs = torch::log_softmax(logits, /*dim=*/1);
    torch::Tensor labelled = batch.y.ne(options_.ignore_index);
    torch::Tensor safe = torch::where(labelled, batch.y, torch::zeros_like(batch.y));
    torch::Tensor picked = -log_probs.gather(1, safe.unsqueeze(1)).squeeze(1);
    torch::Tensor weights = labelled.to(picked.scalar_type());
    return (picked * weights).sum() / weights.sum().clamp_min(1);
  }

 private:
  PixelCrossEntropyOptions options_;
};

AELAB_REGISTER_PLUGIN(objective_registry(), "pixel_cross_entropy", PixelCrossEntropy,
                      PixelCrossEntropyOptions)
    .describe("per-pixel cross-entropy of logits [N, K, H, W] against label maps [N, H, W]");

}  // namespace aelab
