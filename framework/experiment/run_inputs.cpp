// Data, PCA basis and model construction shared by experiments.
#include "framework/experiment/run_inputs.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>

namespace aelab {

DataSplits load_data(const ConfigNode& config) {
  return dataset_registry().make_named(*config.get("data"), "data", {})->load();
}

void record_data_facts(const DataSplits& data, RunRecord& record) {
  record.data_hash = data.content_hash();
  if (!data.class_names.empty() || data.has_classes())
    record.notes["classes"] = fmt::format("{}", fmt::join(data.classes(), ", "));
}

void require_classes(const ConfigNode& config, const DataSplits& data, const std::string& purpose) {
  if (data.has_classes()) return;
  const bool labelled = data.train_y.defined() && data.train_y.numel() > 0;
  throw ConfigError(
      "data.name: " + purpose + ", and " + config.find("data.name")->as_string() +
      " has no classes to tell apart (" +
      (labelled ? "every training label is " + std::to_string(data.train_y.min().item<int64_t>())
                : "no labels") +
      "; use labelled data, such as data=fashion_mnist)");
}

std::string pca_cache_path(const torch::Tensor& train_x, const std::string& cache_dir) {
  return cache_dir + "/pca-" + samples_hash(train_x) + ".h5";
}

PcaSource lazy_dataset_pca(const DataSplits& data, const std::string& cache_dir) {
  auto basis = std::make_shared<std::optional<PcaBasis>>();
  return [&data, cache_dir, basis]() -> const PcaBasis& {
    if (!*basis) *basis = load_or_fit_pca(data.train_x, pca_cache_path(data.train_x, cache_dir));
    return **basis;
  };
}

static std::shared_ptr<ModelImpl> make_model(const ConfigNode& config, BuildContext context) {
  const ConfigNode& model = *config.get("model");
  context.latent_dim = model.get("latent_dim") ? model.get("latent_dim")->as_int() : 0;
  context.config = config;
  torch::manual_seed(static_cast<uint64_t>(config.get("seed")->as_int()));
  return model_registry().make_named(model, "model", context);
}

std::shared_ptr<ModelImpl> build_model(const ConfigNode& config,
                                       const std::vector<int64_t>& input_shape,
                                       const PcaSource& pca_basis) {
  BuildContext context;
  context.input_shape = input_shape;
  context.pca_basis = pca_basis;
  return make_model(config, context);
}

std::shared_ptr<ModelImpl> build_model_for_loading(const ConfigNode& config,
                                                   const std::vector<int64_t>& input_shape) {
  BuildContext context;
  context.input_shape = input_shape;
  context.for_loading = true;
  return make_model(config, context);
}

std::shared_ptr<NoiseModel> build_noise(const ConfigNode& config) {
  const ConfigNode* section = config.get("noise");
  if (!section) return noise_registry().at("none").make(ConfigNode::map(), {});
  return noise_registry().make_named(*section, "noise", {});
}

ImageArray to_image_array(const torch::Tensor& images, int64_t count) {
  torch::Tensor pixels = images.slice(0, 0, std::min(count, images.size(0)))
                             .detach()
                             .to(torch::kCPU, torch::kFloat32)
                             .clamp(0, 1)
                             .mul(255)
                             .round()
                             .to(torch::kUInt8)
                             .contiguous();
  ImageArray out;
  out.pixels.assign(pixels.data_ptr<uint8_t>(), pixels.data_ptr<uint8_t>() + pixels.numel());
  for (auto dim : pixels.sizes()) out.shape.push_back(static_cast<uint64_t>(dim));
  return out;
}

FloatArray to_float_array(const torch::Tensor& values) {
  torch::Tensor flat = values.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  FloatArray out;
  out.values.assign(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
  for (auto dim : flat.sizes()) out.shape.push_back(static_cast<uint64_t>(dim));
  return out;
}

}  // namespace aelab
