// Likelihood metrics of variational models.
#include "framework/metrics/likelihood_metrics.h"

#include <cmath>

namespace aelab {

std::map<std::string, double> elbo_metrics(VariationalModel& model, const torch::Tensor& data,
                                           int64_t batch_size) {
  torch::NoGradGuard no_grad;
  torch::Tensor recon_sum = torch::zeros({}, data.options().dtype(torch::kFloat64));
  torch::Tensor kl_sum = torch::zeros_like(recon_sum);
  for (int64_t begin = 0; begin < data.size(0); begin += batch_size) {
    torch::Tensor batch = data.slice(0, begin, begin + batch_size);
    Posterior q = model.posterior(batch);
    torch::Tensor z = reparameterize(q);
    recon_sum -= model.log_likelihood(batch, z).to(torch::kFloat64).sum();
    kl_sum += model.prior().kl(q, z).to(torch::kFloat64).sum();
  }
  const double n = static_cast<double>(data.size(0));
  double recon = recon_sum.item<double>() / n;
  double kl = kl_sum.item<double>() / n;
  return {{"elbo", -(recon + kl)}, {"recon", recon}, {"kl", kl}};
}

int64_t active_units(VariationalModel& model, const torch::Tensor& data, int64_t batch_size,
                     double threshold) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> means;
  for (int64_t begin = 0; begin < data.size(0); begin += batch_size)
    means.push_back(model.posterior(data.slice(0, begin, begin + batch_size)).mean);
  torch::Tensor variance = torch::cat(means).to(torch::kFloat64).var(/*dim=*/0, /*unbiased=*/true);
  return (variance > threshold).sum().item<int64_t>();
}

torch::Tensor per_image_negative_elbo(VariationalModel& model, const torch::Tensor& data,
                                      int64_t batch_size) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parts;
  for (int64_t begin = 0; begin < data.size(0); begin += batch_size) {
    torch::Tensor batch = data.slice(0, begin, begin + batch_size);
    Posterior q = model.posterior(batch);
    torch::Tensor z = reparameterize(q);
    parts.push_back(model.prior().kl(q, z).to(torch::kFloat64) -
                    model.log_likelihood(batch, z).to(torch::kFloat64));
  }
  if (parts.empty()) return torch::zeros({0}, data.options().dtype(torch::kFloat64));
  return torch::cat(parts);
}

torch::Tensor per_image_nll(VariationalModel& model, const torch::Tensor& data, int64_t samples,
                            int64_t samples_per_batch, const ImagesDone& on_images) {
  torch::NoGradGuard no_grad;
  const int64_t images_per_batch = std::max<int64_t>(1, samples_per_batch / samples);
  const double log_samples = std::log(static_cast<double>(samples));
  std::vector<torch::Tensor> parts;
  for (int64_t begin = 0; begin < data.size(0); begin += images_per_batch) {
    torch::Tensor images = data.slice(0, begin, begin + images_per_batch);
    const int64_t count = images.size(0);
    Posterior q = model.posterior(images);
    // Sample-major copies: row s * count + i is image i's s-th draw.
    std::vector<int64_t> repeat_image(images.dim(), 1);
    repeat_image[0] = samples;
    torch::Tensor repeated = images.repeat(repeat_image);
    Posterior q_repeated{q.mean.repeat({samples, 1}), q.logvar.repeat({samples, 1})};
    torch::Tensor z = reparameterize(q_repeated);
    torch::Tensor log_weights =
        model.log_likelihood(repeated, z).to(torch::kFloat64) +
        model.prior().log_prob(z).to(torch::kFloat64) -
        log_normal_diag(z, q_repeated.mean, q_repeated.logvar).to(torch::kFloat64);
    parts.push_back(log_samples - torch::logsumexp(log_weights.view({samples, count}), 0));
    if (on_images) on_images(begin + count, data.size(0));
  }
  if (parts.empty()) return torch::zeros({0}, data.options().dtype(torch::kFloat64));
  return torch::cat(parts);
}

double importance_sampled_nll(VariationalModel& model, const torch::Tensor& data, int64_t samples,
                              int64_t samples_per_batch, const ImagesDone& on_images) {
  return per_image_nll(model, data, samples, samples_per_batch, on_images).mean().item<double>();
}

}  // namespace aelab
