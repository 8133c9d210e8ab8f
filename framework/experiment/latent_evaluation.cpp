// Latent-space evaluation shared by experiments.
#include "framework/experiment/latent_evaluation.h"

namespace aelab {

void record_likelihood_metrics(VariationalModel& model,
                               const std::map<std::string, torch::Tensor>& splits,
                               const EvalOptions& options, int64_t batch_size, RunRecord& record,
                               const ImagesDone& on_test_images) {
  for (const auto& [split, data] : splits) {
    for (const auto& [name, value] : elbo_metrics(model, data, batch_size))
      record.metrics[split][name] = value;
    record.metrics[split]["active_units"] =
        static_cast<double>(active_units(model, data, batch_size, options.active_unit_threshold));
  }
  auto test = splits.find("test");
  if (options.is_samples > 0 && test != splits.end())
    record.metrics["test"]["nll_is"] = importance_sampled_nll(
        model, test->second, options.is_samples, options.samples_per_batch, on_test_images);
}

torch::Tensor prior_samples(VariationalModel& model, int64_t count, const torch::Device& device) {
  torch::NoGradGuard no_grad;
  return model.decode(model.prior().sample(count, device));
}

torch::Tensor interpolations(LatentCodec& model, const torch::Tensor& images, int64_t pairs,
                             int64_t steps) {
  torch::NoGradGuard no_grad;
  pairs = std::min(pairs, images.size(0) / 2);
  torch::Tensor codes = model.encode(images.slice(0, 0, 2 * pairs));
  torch::Tensor from = codes.slice(0, 0, 2 * pairs, 2).unsqueeze(1);  // [P, 1, k]
  torch::Tensor to = codes.slice(0, 1, 2 * pairs, 2).unsqueeze(1);
  torch::Tensor weights = torch::linspace(0, 1, steps, codes.options()).view({1, steps, 1});
  torch::Tensor path = from + weights * (to - from);  // [P, S, k]
  torch::Tensor decoded = model.decode(path.flatten(0, 1));
  std::vector<int64_t> shape{pairs, steps};
  for (int64_t d = 1; d < decoded.dim(); ++d) shape.push_back(decoded.size(d));
  return decoded.view(shape);
}

}  // namespace aelab
