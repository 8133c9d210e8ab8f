// Per-image anomaly scores.
#include "framework/metrics/anomaly_scores.h"

#include "framework/core/error.h"
#include "framework/models/variational_model.h"

namespace aelab {

const std::vector<std::string>& anomaly_score_names() {
  static const std::vector<std::string> names = {"sse", "mse", "neg_elbo", "nll_is"};
  return names;
}

bool score_needs_variational_model(const std::string& score) {
  return score == "neg_elbo" || score == "nll_is";
}

torch::Tensor reconstruction_scores(
    const std::function<torch::Tensor(const torch::Tensor&)>& reconstruct, const torch::Tensor& x,
    int64_t batch_size, bool per_pixel) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parts;
  for (int64_t begin = 0; begin < x.size(0); begin += batch_size) {
    torch::Tensor batch = x.slice(0, begin, begin + batch_size);
    torch::Tensor error = (reconstruct(batch) - batch).to(torch::kFloat64).pow(2).flatten(1);
    parts.push_back(per_pixel ? error.mean(1) : error.sum(1));
  }
  if (parts.empty()) return torch::zeros({0}, x.options().dtype(torch::kFloat64));
  return torch::cat(parts);
}

torch::Tensor anomaly_scores(ModelImpl& model, const std::string& score, const torch::Tensor& x,
                             int64_t batch_size, const EvalOptions& eval,
                             const ImagesDone& on_images) {
  model.eval();
  if (score == "sse" || score == "mse") {
    Reconstructor& reconstructor = reconstructor_of(model);
    return reconstruction_scores(
        [&](const torch::Tensor& batch) { return reconstructor.reconstruct(batch); }, x, batch_size,
        score == "mse");
  }
  auto* variational = dynamic_cast<VariationalModel*>(&model);
  if (!variational || !score_needs_variational_model(score))
    throw ConfigError("anomaly score '" + score + "' needs a variational model (model=vae)");
  if (score == "neg_elbo") return per_image_negative_elbo(*variational, x, batch_size);
  if (eval.is_samples < 1)  // the anomaly experiment refuses this config before any job runs
    throw ConfigError("eval.is_samples: anomaly score 'nll_is' needs at least 1 sample");
  return per_image_nll(*variational, x, eval.is_samples, eval.samples_per_batch, on_images);
}

}  // namespace aelab
