// The training loop: Adam on minibatches drawn from a device-resident tensor, per-epoch training
// loss and validation metrics sent to callbacks, divergence detection.
#pragma once

#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "framework/core/options.h"
#include "framework/models/model.h"
#include "framework/train/callback.h"

namespace aelab {

/// Options of the `trainer:` section.
struct TrainerOptions {
  int64_t epochs = 10;
  int64_t batch_size = 128;
  double lr = 1e-3;
  double weight_decay = 0;
  std::string lr_schedule = "constant";
  int64_t eval_batch_size = 2000;
  template <class V>
  void visit(V& v) {
    v("epochs", epochs, "passes over the training set", AtLeast{0});
    v("batch_size", batch_size, "samples per Adam step", AtLeast{1});
    v("lr", lr, "Adam learning rate", AtLeast{0});
    v("weight_decay", weight_decay, "L2 penalty of Adam", AtLeast{0});
    v("lr_schedule", lr_schedule, "constant, or cosine decay to zero over the epochs",
      OneOf{{"constant", "cosine"}});
    v("eval_batch_size", eval_batch_size, "samples per batch when evaluating", AtLeast{1});
  }
};

/// How training ended.
struct TrainOutcome {
  bool diverged = false;
  std::string message;  ///< why it diverged
  int64_t epochs_run = 0;
};

/// Runs the loop; knows nothing of files or formats.
class Trainer {
 public:
  Trainer(TrainerOptions options, std::vector<std::shared_ptr<TrainerCallback>> callbacks)
      : options_(std::move(options)), callbacks_(std::move(callbacks)) {}

  /// Corrupts a training batch (a noise model); the target stays the clean batch.
  using Corruption = std::function<torch::Tensor(const torch::Tensor&)>;
  /// Metrics of the model (in eval mode) on the validation set, by name.
  using Validation = std::function<std::map<std::string, double>(const torch::Tensor& val_x)>;

  /// Trains `model` on `train_x`, evaluating on `val_x` after each epoch. Both tensors already
  /// live on the model's device. With `corrupt`, the model learns to undo it (denoising).
  /// `validate` gives the per-epoch validation metrics; by default the reconstruction metrics.
  TrainOutcome fit(ModelImpl& model, const torch::Tensor& train_x, const torch::Tensor& val_x,
                   const Corruption& corrupt = nullptr, const Validation& validate = nullptr);

 private:
  TrainerOptions options_;
  std::vector<std::shared_ptr<TrainerCallback>> callbacks_;
};

}  // namespace aelab
