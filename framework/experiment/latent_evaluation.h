// What experiments record about a model's latent space: likelihood metrics of variational models,
// samples from the prior, and interpolations between the codes of test images.
#pragma once

#include <torch/torch.h>

#include <map>

#include "framework/metrics/likelihood_metrics.h"
#include "framework/results/run_record.h"

namespace aelab {

/// elbo, recon, kl and active_units on every split; nll_is on `test` too, told after each batch
/// of its images to `on_test_images` where given.
void record_likelihood_metrics(VariationalModel& model,
                               const std::map<std::string, torch::Tensor>& splits,
                               const EvalOptions& options, int64_t batch_size, RunRecord& record,
                               const ImagesDone& on_test_images = nullptr);

/// Decoded draws from the prior, [count, C, H, W].
torch::Tensor prior_samples(VariationalModel& model, int64_t count, const torch::Device& device);

/// Decoded codes on the straight line between the codes of images 2i and 2i+1 of `images`, for
/// `pairs` pairs and `steps` points each (both ends included): [pairs, steps, C, H, W].
torch::Tensor interpolations(LatentCodec& model, const torch::Tensor& images, int64_t pairs,
                             int64_t steps);

}  // namespace aelab
