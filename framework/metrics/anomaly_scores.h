// Per-image anomaly scores of a model: how badly it explains each input.
// `sse` and `mse` for any model that reconstructs; `neg_elbo` and `nll_is` (nats) for variational
// models.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "framework/metrics/likelihood_metrics.h"
#include "framework/models/model.h"

namespace aelab {

/// The score names, for option checks and listings.
const std::vector<std::string>& anomaly_score_names();
/// True for scores only variational models have.
bool score_needs_variational_model(const std::string& score);

/// Squared reconstruction error of each image of `x` [N] (float64), summed over its pixels
/// (`sse`) or averaged (`mse`).
torch::Tensor reconstruction_scores(
    const std::function<torch::Tensor(const torch::Tensor&)>& reconstruct, const torch::Tensor& x,
    int64_t batch_size, bool per_pixel);

/// The score `score` of each image of `x` [N] (float64) under `model` in eval mode. `eval` gives
/// the importance samples of `nll_is`, which tells `on_images` how many images it has done (it
/// takes minutes). Error when the model cannot produce that score.
torch::Tensor anomaly_scores(ModelImpl& model, const std::string& score, const torch::Tensor& x,
                             int64_t batch_size, const EvalOptions& eval,
                             const ImagesDone& on_images = nullptr);

}  // namespace aelab
