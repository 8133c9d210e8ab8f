// Metrics of a classifier on a labelled set: accuracy, mean cross-entropy and the confusion
// matrix (rows: true class, columns: predicted class).
#pragma once

#include <torch/torch.h>

#include <functional>

#include "framework/data/batch.h"

namespace aelab {

/// What a classifier got right and wrong.
struct Classification {
  double accuracy = 0;
  double cross_entropy = 0;  ///< nats per sample
  torch::Tensor confusion;   ///< [K, K] int64 counts on the CPU
};

/// Class logits [N, K] of a batch of inputs.
using LogitFunction = std::function<torch::Tensor(const torch::Tensor& batch)>;

/// Classifies `data` in batches of `batch_size` (without gradients) into `classes` classes.
Classification classify(const LogitFunction& logits_of, const LabelledSet& data, int64_t classes,
                        int64_t batch_size);

}  // namespace aelab
