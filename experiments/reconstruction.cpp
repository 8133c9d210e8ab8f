// The reconstruction experiment: train (or fit) a model, measure how well it reconstructs the
// train/val/test splits, and set that against PCA at the same bottleneck size.
#include <optional>

#include "experiments/run_inputs.h"
#include "framework/metrics/reconstruction_metrics.h"
#include "framework/train/device.h"
#include "framework/train/trainer.h"

namespace aelab {

/// Options of the reconstruction experiment.
struct ReconstructionOptions {
  int64_t saved_images = 16;
  template <class V>
  void visit(V& v) {
    v("saved_images", saved_images, "test images whose reconstructions are saved", AtLeast{0});
  }
};

/// Trains or fits `model`, then evaluates it and the PCA baseline on every split.
class ReconstructionExperiment : public Experiment {
 public:
  ReconstructionExperiment(ReconstructionOptions options, const RunContext&) : options_(options) {}

  void run(const ConfigNode& config, const RunContext& context, RunRecord& record) override {
    torch::Device device = resolve_device(config.get("device")->as_string());
    record.device = device.str();
    DataSplits data = load_data(config);
    std::optional<PcaBasis> basis;
    auto pca_basis = [&]() -> const PcaBasis& {
      if (!basis) basis = dataset_pca(config, data, context.cache_dir);
      return *basis;
    };
    std::shared_ptr<ModelImpl> model = build_model(config, data, pca_basis);
    model->to(device);
    DataSplits on_device = data.to(device);

    int64_t eval_batch = 2000;
    if (model->trainable()) {
      auto options = decode_options<TrainerOptions>(*config.get("trainer"), "trainer");
      eval_batch = options.eval_batch_size;
      auto history = std::make_shared<HistoryRecorder>();
      std::vector<std::shared_ptr<TrainerCallback>> callbacks{history};
      if (!context.quiet) callbacks.push_back(std::make_shared<ConsoleProgress>(context.label));
      TrainOutcome outcome =
          Trainer(options, callbacks).fit(*model, on_device.train_x, on_device.val_x);
      record.history = history->history();
      if (outcome.diverged) {
        record.status = "diverged";
        record.error = outcome.message;
        return;
      }
    }
    const std::map<std::string, torch::Tensor> splits = {
        {"train", on_device.train_x}, {"val", on_device.val_x}, {"test", on_device.test_x}};
    int64_t latent_dim = config.find("model.latent_dim")->as_int();
    PcaBasis pca = pca_basis().to(device);
    for (const auto& [split, x] : splits) {
      record.metrics[split] = reconstruction_metrics(*model, x, eval_batch);
      record.baselines["pca"][split] = reconstruction_metrics(
          [&](const torch::Tensor& batch) { return pca.reconstruct(batch, latent_dim); }, x,
          eval_batch);
    }
    if (options_.saved_images > 0) {
      torch::NoGradGuard no_grad;
      torch::Tensor inputs = on_device.test_x.slice(0, 0, options_.saved_images);
      record.images["inputs"] = to_image_array(inputs, options_.saved_images);
      record.images["reconstructions"] =
          to_image_array(model->reconstruct(inputs), options_.saved_images);
    }
    record.status = "completed";
  }

 private:
  ReconstructionOptions options_;
};

AELAB_REGISTER_PLUGIN(experiment_registry(), "reconstruction", ReconstructionExperiment,
                      ReconstructionOptions)
    .describe("train or fit the model; reconstruction metrics per split next to PCA at the same k");

}  // namespace aelab
