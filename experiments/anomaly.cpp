// One-class anomaly detection by reconstruction error, against PCA at the same latent_dim.
// Train (or fit) on the normal classes only and score every test image by how badly the model
// explains it: the protocol of Golan and El-Yaniv 2018, the score of Japkowicz et al. 1995 and
// Sakurada and Yairi 2014.
#include <fmt/format.h>

#include "framework/core/settings_section.h"
#include "framework/experiment/images_progress.h"
#include "framework/experiment/model_store.h"
#include "framework/experiment/one_class_detection.h"
#include "framework/experiment/run_inputs.h"
#include "framework/experiment/training.h"
#include "framework/metrics/anomaly_scores.h"
#include "framework/metrics/reconstruction_metrics.h"
#include "framework/train/device.h"
#include "framework/train/trainer.h"

namespace aelab {

/// The `anomaly:` section.
struct AnomalyOptions {
  ClassList normal_classes{{0}};
  ClassList anomaly_classes;
  std::string score = "sse";
  std::string threshold = "percentile";
  double percentile = 95;
  std::optional<double> value;
  double val_anomaly_fraction = 0.1;
  int64_t histogram_bins = 50;
  int64_t saved_images = 8;
  template <class V>
  void visit(V& v) {
    v("normal_classes", normal_classes,
      "the class (or list of classes) trained on as normal, by the labels of the data's files");
    v("anomaly_classes", anomaly_classes, "classes scored as anomalies ([]: every other class)");
    v("score", score, "per-image score: sse, mse, or for model=vae neg_elbo, nll_is",
      OneOf{anomaly_score_names()});
    v("threshold", threshold,
      "percentile (of the normal validation scores), best_f1 (on the validation split) or fixed",
      OneOf{{"percentile", "best_f1", "fixed"}});
    v("percentile", percentile, "the percentile of `threshold: percentile`", Between{0, 100});
    v("value", value, "the threshold of `threshold: fixed`");
    v("val_anomaly_fraction", val_anomaly_fraction,
      "share of labelled anomalies in the validation split (never trained on): the anomalous "
      "training curve and best_f1 use them",
      Between{0, 0.9});
    v("histogram_bins", histogram_bins, "bins of the test score histograms", AtLeast{1});
    v("saved_images", saved_images,
      "test images saved with the highest and with the lowest scores (images only)", AtLeast{0});
  }
};
[[maybe_unused]] static bool anomaly_section =
    declare_settings_section<AnomalyOptions>("anomaly", "one-class anomaly detection");

/// The `eval:` section, which only variational models' jobs have (the defaults otherwise).
static EvalOptions eval_options_of(const ConfigNode& config) {
  return config.get("eval") ? decode_options<EvalOptions>(*config.get("eval"), "eval")
                            : EvalOptions{};
}

/// Checks what the normalized job config alone can tell.
static void check_anomaly_config(const ConfigNode& config) {
  const ConfigNode& section = *config.get("anomaly");
  auto options = decode_options<AnomalyOptions>(section, "anomaly");
  const bool variational =
      model_declaration(config.find("model.name")->as_string()).traits.variational;
  if (score_needs_variational_model(options.score) && !variational)
    throw ConfigError(located(*section.get("score"), "anomaly.score") + ": '" + options.score +
                      "' needs a variational model (model=vae), or use sse or mse");
  if (options.score == "nll_is" && eval_options_of(config).is_samples < 1)
    throw ConfigError(
        located(config.find("eval.is_samples") ? *config.find("eval.is_samples") : config,
                "eval.is_samples") +
        ": anomaly.score=nll_is estimates each image's NLL from eval.is_samples "
        "importance samples, and it is 0 (set eval.is_samples=1000, say, or use "
        "anomaly.score=neg_elbo)");
  if (options.threshold == "fixed" && !options.value)
    throw ConfigError(located(*section.get("threshold"), "anomaly.threshold") +
                      ": 'fixed' needs anomaly.value=THRESHOLD");
  if (options.threshold != "fixed" && options.value)
    throw ConfigError(located(*section.get("value"), "anomaly.value") +
                      ": takes effect only with anomaly.threshold=fixed, and the threshold is " +
                      options.threshold + " (set anomaly.threshold=fixed, or drop the value)");
  try {
    check_one_class_protocol({options.normal_classes.values, options.anomaly_classes.values});
  } catch (const DataError& e) {
    // The message starts with the key (anomaly.normal_classes: ...): point at that entry.
    const std::string message = e.what();
    const std::string key = message.substr(0, message.find(':'));
    const ConfigNode* entry = section.get(key.substr(key.find('.') + 1));
    throw ConfigError(located(entry ? *entry : section, "") + message);
  }
}

/// Checks the classes against the loaded dataset: each one exists, and the training and
/// validation splits hold normal images.
static void check_anomaly_data(const ConfigNode& config, const DataSplits& data,
                               const std::string&) {
  auto options = decode_options<AnomalyOptions>(*config.get("anomaly"), "anomaly");
  require_classes(config, data, "anomaly detection tells normal classes from the others");
  if (data.val_x.size(0) == 0)
    throw DataError(
        "data.val_fraction: an anomaly run needs a validation split (its threshold and its "
        "per-epoch score curves come from it); set data.val_fraction above 0");
  OneClassProtocol protocol{options.normal_classes.values, options.anomaly_classes.values,
                            options.val_anomaly_fraction, config.get("seed")->as_int()};
  try {
    one_class_split(data, protocol, static_cast<int64_t>(data.classes().size()));
  } catch (const NoNormalImagesError& e) {
    // The splits are too small for the class: data.subset, where it is set, made them so;
    // otherwise the validation share is.
    const std::string message = e.what(), prefix = "anomaly: ";
    const ConfigNode* subset = config.find("data.subset");
    throw DataError((subset && !subset->is_null() ? "data.subset: " : "data.val_fraction: ") +
                    (message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message));
  }
}

/// Trains on the normal classes; scores and thresholds; the PCA detector beside it.
class AnomalyExperiment : public Experiment {
 public:
  AnomalyExperiment(NoOptions, const RunContext&) {}

  void run(const ConfigNode& config, const RunContext& context, RunRecord& record) override {
    auto options = decode_options<AnomalyOptions>(*config.get("anomaly"), "anomaly");
    torch::Device device = resolve_device(config.get("device")->as_string());
    record.device = device.str();
    const int64_t seed = config.get("seed")->as_int();
    DataSplits data = load_data(config);
    record_data_facts(data, record);
    const ThresholdPolicy policy{options.threshold, options.percentile, options.value,
                                 options.histogram_bins};
    OneClassProtocol protocol{options.normal_classes.values, options.anomaly_classes.values,
                              options.val_anomaly_fraction, seed};
    OneClassData one_class =
        one_class_split(data.to(device), protocol, static_cast<int64_t>(data.classes().size()));
    // The dataset's line counts every class: what this run trains, validates and tests on.
    say(context, fmt::format("one-class: {} normal training images; validation: {} normal, {} "
                             "anomalies; test: {} images",
                             one_class.train_x.size(0), one_class.val_normal.size(0),
                             one_class.val_anomalous.size(0), one_class.test_x.size(0)));
    record.notes["train_normal"] =
        std::to_string(one_class.train_x.size(0)) + " normal training images";
    if (thresholds_by_percentile(policy, one_class.val_anomalous.size(0)) &&
        one_class.val_normal.size(0) < kFewNormalForPercentile)
      warn(context, fmt::format("threshold: the {:g}th percentile of only {} normal validation "
                                "scores, a coarse estimate (raise data.subset or "
                                "data.val_fraction)",
                                options.percentile, one_class.val_normal.size(0)));
    const PcaBasis basis = fit_pca(one_class.train_x.cpu());
    std::shared_ptr<ModelImpl> model =
        build_model(config, data.sample_shape(), [&]() -> const PcaBasis& { return basis; });
    model->to(device);
    const EvalOptions eval = eval_options_of(config);
    int64_t batch = TrainerOptions().eval_batch_size;
    // While training, a VAE's score draws continue the training's random stream (reproducible,
    // and the batch order of later epochs stays random); afterwards every call draws the same.
    ScoreFunction training_score = [&](const torch::Tensor& x) {
      return anomaly_scores(*model, options.score, x, batch, eval);
    };
    if (model->trainable()) {
      auto trainer = decode_options<TrainerOptions>(*config.get("trainer"), "trainer");
      batch = trainer.eval_batch_size;
      if (!train(*model, config, trainer, one_class, training_score, context, record)) return;
    }
    doing(context, "scoring the validation and test images");
    // An IS-NLL score takes minutes on a CPU: said as it counts on over the three sets.
    ImagesProgress progress(
        context,
        fmt::format("scoring the validation and test images (nll_is, {} "
                    "importance samples an image)",
                    eval.is_samples),
        one_class.val_normal.size(0) + one_class.val_anomalous.size(0) + one_class.test_x.size(0));
    int64_t scored = 0;
    ScoreFunction score = [&](const torch::Tensor& x) {
      torch::manual_seed(static_cast<uint64_t>(seed));
      torch::Tensor scores =
          anomaly_scores(*model, options.score, x, batch, eval,
                         options.score == "nll_is" ? progress.after(scored) : nullptr);
      scored += x.size(0);
      return scores;
    };
    Detection detection = evaluate_detector(score, one_class, policy);
    record_detection(detection, "", record.metrics["test"], record);
    if (detection.threshold_fell_back || detection.flagged_none || detection.threshold_doubtful)
      warn(context, "threshold: " + detection.threshold_note);
    evaluate_pca(basis.to(device), config.find("model.latent_dim")->as_int(), options, policy,
                 one_class, batch, record);
    const int64_t anomalies = one_class.val_anomalous.size(0);
    record.notes["val_anomalies"] =
        std::to_string(anomalies) +
        (anomalies == 1 ? " validation anomaly" : " validation anomalies") + " beside " +
        std::to_string(one_class.val_normal.size(0)) + " normal images";
    record.arrays["test_labels"] = to_float_array(torch::tensor(one_class.test_labels));
    record.arrays["test_classes"] = to_float_array(one_class.test_classes);
    record_extreme_images(*model, one_class.test_x, detection.test_scores, options.saved_images,
                          record);
    record_model(record, *model, data.sample_shape());
    record.status = "completed";
  }

 private:
  /// The PCA detector at the same latent_dim, fitted on the same normal images: scalars under
  /// /baseline/pca/test, arrays with the prefix `pca_`.
  static void evaluate_pca(const PcaBasis& pca, int64_t latent_dim, const AnomalyOptions& options,
                           const ThresholdPolicy& policy, const OneClassData& one_class,
                           int64_t batch, RunRecord& record) {
    ScoreFunction pca_score = [&](const torch::Tensor& x) {
      return reconstruction_scores(
          [&](const torch::Tensor& b) { return pca.reconstruct(b, latent_dim); }, x, batch,
          options.score == "mse");
    };
    // A VAE's score has another scale than PCA's sse: a fixed threshold cannot serve both.
    const bool other_scale = score_needs_variational_model(options.score);
    ThresholdPolicy pca_policy = policy;
    if (other_scale && policy.name == "fixed") pca_policy.name = "percentile";
    record_detection(evaluate_detector(pca_score, one_class, pca_policy), "pca_",
                     record.baselines["pca"]["test"], record);
    if (other_scale) record.notes["pca_score"] = "sse (the model's score needs a VAE)";
  }

  /// Trains on the normal training images; after every epoch, the validation reconstruction
  /// metrics and the mean scores of normal and anomalous validation images.
  static bool train(ModelImpl& model, const ConfigNode& config, const TrainerOptions& options,
                    const OneClassData& data, const ScoreFunction& score, const RunContext& context,
                    RunRecord& record) {
    std::shared_ptr<Objective> objective = reconstruction_objective(model, config);
    std::shared_ptr<NoiseModel> noise = build_noise(config);
    Trainer::Corruption corrupt = corruption_of(*noise);
    auto validate = [&](const LabelledSet& val) {
      auto metrics = reconstruction_metrics(model, val.x, options.eval_batch_size);
      for (const auto& [name, value] : validation_score_means(score, data)) metrics[name] = value;
      return metrics;
    };
    TrainingJob job{model,
                    *objective,
                    options,
                    LabelledSet{data.train_x, {}},
                    LabelledSet{data.val_normal, {}},
                    corrupt,
                    validate};
    return train_model(job, context, record);
  }

  static void record_detection(const Detection& detection, const std::string& array_prefix,
                               std::map<std::string, double>& metrics, RunRecord& record) {
    for (const auto& [name, value] : detection.metrics) metrics[name] = value;
    for (const auto& [name, array] : detection.arrays) record.arrays[array_prefix + name] = array;
    record.notes[array_prefix + "threshold"] = detection.threshold_note;
  }
};

AELAB_REGISTER_PLUGIN(experiment_registry(), "anomaly", AnomalyExperiment, NoOptions)
    .describe(
        "one-class anomaly detection by reconstruction error: AUROC, AUPRC and the "
        "threshold's precision and recall, next to PCA");
/// What an anomaly run reads, checks and shows, for the sweep runner.
static ExperimentDeclaration anomaly_declaration() {
  ExperimentDeclaration declared;
  declared.sections = {
      {"anomaly", nullptr},
      {"noise", nullptr, /*optional=*/true},
      {"trainer", [](const ModelTraits& model) { return model.trainable; }},
      {"objective", [](const ModelTraits& model) { return model.trainable && !model.variational; }},
      {"eval", [](const ModelTraits& model) { return model.variational; }}};
  declared.progress_metrics = {"test/auroc", "baseline/pca/test/auroc", "test/threshold",
                               "test/precision", "test/recall"};
  declared.check = check_anomaly_config;
  declared.check_data = check_anomaly_data;
  return declared;
}

[[maybe_unused]] static bool anomaly_declared =
    declare_experiment("anomaly", anomaly_declaration());

}  // namespace aelab
