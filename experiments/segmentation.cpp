// Semantic segmentation with an encoder-decoder: per-pixel class scores trained by per-pixel
// cross-entropy, the encoder optionally taken from an autoencoder trained on the same images (a
// finished run, or pretrained here first). Pixel accuracy and IoU next to two baselines: the
// majority class everywhere, and "ink means the most frequent item class".
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "framework/core/settings_section.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/model_store.h"
#include "framework/experiment/pretrained_autoencoder.h"
#include "framework/experiment/run_inputs.h"
#include "framework/experiment/source_autoencoder.h"
#include "framework/experiment/training.h"
#include "framework/metrics/segmentation_metrics.h"
#include "framework/train/device.h"

namespace aelab {

/// Options of the `segmentation:` section.
struct SegmentationOptions {
  std::optional<std::string> encoder_from;
  int64_t pretrain_epochs = 0;
  int64_t saved_maps = 8;
  template <class V>
  void visit(V& v) {
    v("encoder_from", encoder_from,
      "run id or run file of an autoencoder trained on the same images whose encoder to start "
      "from (null: none)");
    v("pretrain_epochs", pretrain_epochs,
      "without encoder_from: epochs of training the encoder here first as an autoencoder "
      "(encoder + decoder sections, mse) on the training images (0: from scratch)",
      AtLeast{0});
    v("saved_maps", saved_maps, "test images kept with their true and predicted label maps",
      AtLeast{0});
  }
};
[[maybe_unused]] static bool segmentation_section =
    declare_settings_section<SegmentationOptions>("segmentation", "semantic segmentation");

namespace {

SegmentationOptions segmentation_options(const ConfigNode& config) {
  return decode_options<SegmentationOptions>(*config.get("segmentation"), "segmentation");
}

/// Predicted label maps [N, H, W] of `x`, in batches.
torch::Tensor predict(ModelImpl& model, const torch::Tensor& x, int64_t batch_size) {
  torch::NoGradGuard no_grad;
  model.eval();
  std::vector<torch::Tensor> maps;
  for (int64_t begin = 0; begin < x.size(0); begin += batch_size)
    maps.push_back(model.forward(x.slice(0, begin, begin + batch_size)).at("logits").argmax(1));
  return torch::cat(maps);
}

std::map<std::string, double> scores_of(const torch::Tensor& predicted, const torch::Tensor& truth,
                                        int64_t classes) {
  SegmentationScores scores = segmentation_scores(pixel_confusion(predicted, truth, classes));
  std::map<std::string, double> metrics{{"pixel_accuracy", scores.pixel_accuracy},
                                        {"miou", scores.mean_iou}};
  for (size_t k = 0; k < scores.iou.size(); ++k)
    metrics[fmt::format("iou_{:02d}", k)] = scores.iou[k];
  return metrics;
}

/// The most frequent value of label maps, among those where `mask` holds.
int64_t most_frequent(const torch::Tensor& labels, const torch::Tensor& mask, int64_t classes) {
  torch::Tensor counts = torch::bincount(labels.masked_select(mask), {}, classes);
  return counts.argmax().item<int64_t>();
}

}  // namespace

/// Trains the segmenter (after its encoder's pretraining, if any) and scores its label maps.
class SegmentationExperiment : public Experiment {
 public:
  SegmentationExperiment(NoOptions, const RunContext&) {}

  void run(const ConfigNode& config, const RunContext& context, RunRecord& record) override {
    torch::Device device = resolve_device(config.get("device")->as_string());
    record.device = device.str();
    const SegmentationOptions options = segmentation_options(config);
    DataSplits data = load_data(config);
    record_data_facts(data, record);
    const int64_t classes = static_cast<int64_t>(data.classes().size());
    DataSplits on_device = data.to(device);
    auto trainer = decode_options<TrainerOptions>(*config.get("trainer"), "trainer");
    std::shared_ptr<ModelImpl> model = build_model(config, data.sample_shape(), nullptr);
    model->to(device);
    if (!prepare_encoder(*model, config, options, trainer, on_device, context, record)) return;
    auto objective = make_objective("pixel_cross_entropy");
    auto validate = [&](const LabelledSet& val) {
      auto all = scores_of(predict(*model, val.x, trainer.eval_batch_size), val.y, classes);
      return std::map<std::string, double>{{"pixel_accuracy", all["pixel_accuracy"]},
                                           {"miou", all["miou"]}};
    };
    TrainingJob job{*model,  *objective, trainer, on_device.split("train"), on_device.split("val"),
                    nullptr, validate};
    if (!train_model(job, context, record)) return;
    doing(context, "evaluating the test set");
    torch::Tensor predicted = predict(*model, on_device.test_x, trainer.eval_batch_size);
    record.metrics["test"] = scores_of(predicted, on_device.test_y, classes);
    record_baselines(config, on_device, classes, record);
    const int64_t saved = std::min(options.saved_maps, on_device.test_x.size(0));
    if (saved > 0) {
      record.images["inputs"] = to_image_array(on_device.test_x, saved);
      record.arrays["true_maps"] = to_float_array(on_device.test_y.slice(0, 0, saved));
      record.arrays["predicted_maps"] = to_float_array(predicted.slice(0, 0, saved));
    }
    record_model(record, *model, data.sample_shape());
    record.status = "completed";
  }

 private:
  /// Loads the encoder of `encoder_from`, or pretrains it as an autoencoder here; false when
  /// that pretraining diverged.
  static bool prepare_encoder(ModelImpl& model, const ConfigNode& config,
                              const SegmentationOptions& options, const TrainerOptions& trainer,
                              const DataSplits& data, const RunContext& context,
                              RunRecord& record) {
    if (options.encoder_from) {
      const std::string path = resolve_run_reference(*options.encoder_from, context.results_dir,
                                                     "segmentation.encoder_from");
      RunRecord source = read_run_file(path);
      int64_t loaded = load_model_state(model, source.model_state, {"encoder"},
                                        /*require_all=*/false, path);
      record.notes["encoder"] = fmt::format("{} tensor(s) from {}", loaded, path);
      return true;
    }
    if (options.pretrain_epochs == 0) {
      record.notes["encoder"] = "randomly initialized";
      return true;
    }
    // The autoencoder of the encoder and decoder sections, as `model=ae` with the same code
    // size, trained for pretrain_epochs to reconstruct: the segmenters of a sweep that share
    // these settings (with and without skips) pretrain it once.
    TrainerOptions pretraining = trainer;
    pretraining.epochs = options.pretrain_epochs;
    pretraining.checkpoint_every = 0;
    // Sections written whole, as a job's normalized config has them: the cache key holds every
    // option, defaults included.
    ConfigNode ae_config = config;
    ConfigNode ae = ConfigNode::map();
    ae.set("latent_dim", *config.find("model.latent_dim"));
    ae_config.set("model", model_registry().at("ae").info.normalize(ae, "model"));
    ae_config.set(
        "objective",
        objective_registry().at("reconstruction").info.normalize(ConfigNode::map(), "objective"));
    ae_config.set("trainer", encode_options(pretraining));
    auto build = [&] {
      std::shared_ptr<ModelImpl> autoencoder = build_model(ae_config, data.sample_shape(), nullptr);
      autoencoder->to(data.train_x.device());
      return autoencoder;
    };
    const std::string note =
        fmt::format("pretrained as an autoencoder: {} epoch(s) on {} training images",
                    options.pretrain_epochs, data.train_x.size(0));
    std::shared_ptr<ModelImpl> autoencoder =
        pretrained_autoencoder(ae_config, pretraining, build, data, note, context, record);
    if (!autoencoder) return false;
    int64_t loaded = load_model_state(model, save_model_state(*autoencoder), {"encoder"},
                                      /*require_all=*/false, "the pretrained autoencoder");
    record.notes["encoder"] += fmt::format("; its encoder's {} tensor(s)", loaded);
    return true;
  }

  /// The majority class everywhere; and, for data that labels by ink (`data.ink_threshold`), the
  /// most frequent item class wherever there is ink.
  static void record_baselines(const ConfigNode& config, const DataSplits& data, int64_t classes,
                               RunRecord& record) {
    const torch::Tensor& truth = data.train_y;
    const int64_t majority = most_frequent(truth, torch::ones_like(truth, torch::kBool), classes);
    const int64_t item_class = most_frequent(truth, truth.ne(0), classes);
    const torch::Tensor& test = data.test_y;
    record.baselines["majority"]["test"] =
        scores_of(torch::full_like(test, majority), test, classes);
    const ConfigNode* threshold = config.find("data.ink_threshold");
    if (!threshold) return;
    // Ink is the brightest channel: colour mosaics tint the grey ink, never brighten it.
    torch::Tensor ink = std::get<0>(data.test_x.max(1)).gt(threshold->as_float());
    record.baselines["ink"]["test"] =
        scores_of(torch::where(ink, torch::full_like(test, item_class), torch::zeros_like(test)),
                  test, classes);
  }
};

/// A segmentation run trains a segmenter: the model that gives a score map per class.
void check_segmentation_config(const ConfigNode& config) {
  const ConfigNode* name = config.find("model.name");
  if (name && name->as_string() != "segmenter")
    throw ConfigError(located(*name, "model.name") + ": experiment=segmentation trains a " +
                      "segmenter (a score map per class), and the model is " + name->as_string() +
                      " (use model=segmenter)");
}

/// Label maps and the model's class count must agree before any job starts.
void check_segmentation_data(const ConfigNode& config, const DataSplits& data,
                             const std::string& results_dir) {
  const SegmentationOptions options = segmentation_options(config);
  if (options.encoder_from && options.pretrain_epochs > 0)
    throw ConfigError(
        "segmentation.pretrain_epochs: the encoder comes from segmentation.encoder_from already; "
        "set one of the two");
  if (!data.train_y.defined() || data.train_y.dim() != 3)
    throw ConfigError("data.name: segmentation needs per-pixel label maps, and " +
                      config.find("data.name")->as_string() +
                      " has none (use data=fashion_mosaic)");
  const ConfigNode* classes = config.find("model.num_classes");
  const int64_t found = static_cast<int64_t>(data.classes().size());
  if (!classes || classes->as_int() != found)
    throw ConfigError(
        fmt::format("model.num_classes: data.name={} has {} classes; set "
                    "model.num_classes={} (and use model=segmenter)",
                    config.find("data.name")->as_string(), found, found));
  if (!options.encoder_from) return;
  // The source's encoder must fit this segmenter's, tensor for tensor.
  const std::string path =
      resolve_run_reference(*options.encoder_from, results_dir, "segmentation.encoder_from");
  RunRecord source = read_referenced_run(path, "segmentation.encoder_from");
  if (source.status != "completed" || source.model_state.empty())
    throw DataError("segmentation.encoder_from: " + path + " is not a completed run with weights");
  auto model = build_model_for_loading(config, data.sample_shape());
  try {
    load_model_state(*model, source.model_state, {"encoder"}, /*require_all=*/true, path);
  } catch (const Error& e) {
    // Where the two configs differ, as transfer.from says it: `model.latent_dim is 32 there, 64
    // here`, and the run's overrides.
    const auto differences = model_differences(config, parse_yaml(source.config_yaml, path),
                                               {"encoder.", "model.latent_dim"});
    throw DataError(fmt::format(
        "segmentation.encoder_from: the encoder of {} is not this job's: {} (give the same "
        "encoder section and model.latent_dim as that run: {})",
        path,
        differences.empty() ? std::string(e.what())
                            : fmt::format("{}", fmt::join(differences, "; ")),
        source.overrides.empty() ? std::string("it had no overrides")
                                 : "its overrides were '" + source.overrides + "'"));
  }
}

AELAB_REGISTER_PLUGIN(experiment_registry(), "segmentation", SegmentationExperiment, NoOptions)
    .describe(
        "per-pixel classification with an encoder-decoder (skip connections optional, encoder "
        "pretrained optional): pixel accuracy and IoU next to majority and ink baselines");
/// What a segmentation run reads, checks and shows, for the sweep runner.
static ExperimentDeclaration segmentation_declaration() {
  ExperimentDeclaration declared;
  declared.sections = {{"segmentation", nullptr}, {"trainer", nullptr}};
  declared.progress_metrics = {"test/miou", "test/pixel_accuracy", "baseline/ink/test/miou"};
  declared.check = check_segmentation_config;
  declared.check_data = check_segmentation_data;
  return declared;
}

[[maybe_unused]] static bool segmentation_declared =
    declare_experiment("segmentation", segmentation_declaration());

}  // namespace aelab
