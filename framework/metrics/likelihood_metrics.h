// Metrics of variational models, in nats per image: the ELBO and its two terms, active units
// (Burda et al. 2016) and the importance-sampled negative log-likelihood (IWAE bound).
#pragma once

#include <torch/torch.h>

#include <functional>
#include <map>
#include <string>

#include "framework/metrics/eval_options.h"
#include "framework/models/variational_model.h"

namespace aelab {

/// `elbo`, `recon` (-E_q log p(x|z)) and `kl` averaged over `data`, one posterior draw per image,
/// with the KL at weight 1 whatever the training beta was.
std::map<std::string, double> elbo_metrics(VariationalModel& model, const torch::Tensor& data,
                                           int64_t batch_size);

/// The number of latent dimensions whose posterior mean has a variance over `data` above
/// `threshold`.
int64_t active_units(VariationalModel& model, const torch::Tensor& data, int64_t batch_size,
                     double threshold);

/// The negative ELBO of each image of `data` [N] in float64, one posterior draw per image, KL
/// at weight 1.
torch::Tensor per_image_negative_elbo(VariationalModel& model, const torch::Tensor& data,
                                      int64_t batch_size);

/// Told after each batch of images an estimate goes through: (images done, images in all).
using ImagesDone = std::function<void(int64_t done, int64_t total)>;

/// The importance-sampled -log p(x) of each image of `data` [N] in float64 (see below).
torch::Tensor per_image_nll(VariationalModel& model, const torch::Tensor& data, int64_t samples,
                            int64_t samples_per_batch, const ImagesDone& on_images = nullptr);

/// -log p(x) averaged over `data`, each estimated with `samples` importance samples from q(z|x):
/// -log (1/S sum_s p(x|z_s) p(z_s) / q(z_s|x)). At most the negative ELBO in expectation.
double importance_sampled_nll(VariationalModel& model, const torch::Tensor& data, int64_t samples,
                              int64_t samples_per_batch, const ImagesDone& on_images = nullptr);

}  // namespace aelab
