// Transfer learning: an autoencoder's encoder as a feature extractor for classification. The
// encoder comes from a finished run (`transfer.from`) or is pretrained here on the unlabelled
// training images; a head is trained on its frozen codes, then everything is fine-tuned, with
// few labels if asked. Beside it, the same head and schedule on raw pixels, on PCA codes of the
// same size, and on the same architecture trained from scratch (Erhan et al. 2010, "Why does
// unsupervised pre-training help deep learning?").
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "framework/core/settings_section.h"
#include "framework/core/yaml_io.h"
#include "framework/data/labelled_subset.h"
#include "framework/experiment/classifier_training.h"
#include "framework/experiment/latent_clustering.h"
#include "framework/experiment/model_store.h"
#include "framework/experiment/pretrained_autoencoder.h"
#include "framework/experiment/run_inputs.h"
#include "framework/experiment/source_autoencoder.h"
#include "framework/experiment/training.h"
#include "framework/train/device.h"

namespace aelab {

/// Options of the `transfer:` section.
struct TransferOptions {
  std::optional<std::string> from;
  std::vector<int64_t> head_hidden;
  int64_t frozen_epochs = 1;
  int64_t finetune_epochs = 3;
  double lr = 1e-3;
  double finetune_lr = 3e-4;
  int64_t batch_size = 128;
  std::optional<int64_t> labels_per_class;
  int64_t min_epoch_samples = 10000;
  std::vector<std::string> baselines{"raw", "pca", "scratch"};
  template <class V>
  void visit(V& v) {
    v("from", from,
      "run id (this results folder) or run file whose encoder to use; null: pretrain the "
      "model as an autoencoder here first, for trainer.epochs on the unlabelled images");
    v("head_hidden", head_hidden, "widths of the head's hidden ReLU layers ([]: a linear head)",
      AtLeast{1});
    v("frozen_epochs", frozen_epochs, "epochs training the head alone on the frozen encoder",
      AtLeast{0});
    v("finetune_epochs", finetune_epochs, "epochs then training head and encoder together",
      AtLeast{0});
    v("lr", lr, "learning rate of the head phase (and of the baselines' first phase)", Above{0});
    v("finetune_lr", finetune_lr,
      "learning rate of the fine-tuning phase (above 0 where finetune_epochs is)", AtLeast{0});
    v("batch_size", batch_size, "labelled samples per step", AtLeast{1});
    v("labels_per_class", labels_per_class,
      "labelled training images per class, balanced and chosen by the seed (null: all)",
      AtLeast{1});
    v("min_epoch_samples", min_epoch_samples,
      "a labelled set smaller than this is repeated within each epoch up to this many samples, "
      "so a few-label run still takes enough steps",
      AtLeast{1});
    v("baselines", baselines,
      "classifiers beside it with the same head, schedule and labels: raw (pixels), pca (codes "
      "of the same size), scratch (the same encoder randomly initialized, trained end to end)",
      OneOf{{"raw", "pca", "scratch"}});
  }
};
[[maybe_unused]] static bool transfer_section =
    declare_settings_section<TransferOptions>("transfer", "transfer learning");

namespace {

TransferOptions transfer_options(const ConfigNode& config) {
  return decode_options<TransferOptions>(*config.get("transfer"), "transfer");
}

/// The labelled training images: a balanced subset with labels_per_class, repeated up to
/// min_epoch_samples.
LabelledSet labelled_training_set(const DataSplits& data, const TransferOptions& options,
                                  int64_t classes, int64_t seed) {
  LabelledSet train = data.split("train");
  if (options.labels_per_class) {
    torch::Tensor index =
        torch::tensor(balanced_subset(label_vector(train.y), classes, *options.labels_per_class,
                                      seed, data.classes()))
            .to(train.x.device());
    Batch subset = train.take(index);
    train = LabelledSet{subset.x, subset.y};
  }
  if (train.size() > 0 && train.size() < options.min_epoch_samples) {
    const int64_t copies = (options.min_epoch_samples + train.size() - 1) / train.size();
    train = LabelledSet{train.x.repeat_interleave(copies, 0), train.y.repeat_interleave(copies, 0)};
  }
  return train;
}

/// Width of the codes `model` gives the first two of `samples`.
int64_t code_width(ModelImpl& model, const torch::Tensor& samples) {
  torch::NoGradGuard no_grad;
  model.eval();
  return dynamic_cast<LatentCodec&>(model).encode(samples.slice(0, 0, 2)).size(1);
}

/// The config a `from` run's model was built from.
ConfigNode source_config(const std::string& run_file) {
  return parse_yaml(read_run_summary(run_file).config_yaml, run_file);
}

/// test/accuracy and cross_entropy after training; with `phases`, also accuracy_frozen after
/// the head's phase on fixed features.
void record_classification(const ClassifierOutcome& outcome, bool phases,
                           std::map<std::string, double>& test) {
  if (phases) test["accuracy_frozen"] = outcome.after_frozen.accuracy;
  test["accuracy"] = outcome.final.accuracy;
  test["cross_entropy"] = outcome.final.cross_entropy;
}

}  // namespace

/// Pretrains (or loads) the encoder, trains the classifier on it, then the baselines.
class TransferExperiment : public Experiment {
 public:
  TransferExperiment(NoOptions, const RunContext&) {}

  void run(const ConfigNode& config, const RunContext& context, RunRecord& record) override {
    torch::Device device = resolve_device(config.get("device")->as_string());
    record.device = device.str();
    const TransferOptions options = transfer_options(config);
    const int64_t seed = config.get("seed")->as_int();
    DataSplits data = load_data(config);
    record_data_facts(data, record);
    const int64_t classes = static_cast<int64_t>(data.classes().size());
    DataSplits on_device = data.to(device);
    const auto pca_basis = lazy_dataset_pca(data, context.cache_dir);
    auto trainer = decode_options<TrainerOptions>(*config.get("trainer"), "trainer");
    std::shared_ptr<ModelImpl> encoder_model =
        encoder_for(config, options, data, pca_basis, trainer, on_device, context, record);
    if (!encoder_model) return;  // pretraining diverged
    const int64_t width = code_width(*encoder_model, on_device.train_x);
    const auto eval = decode_options<EvalOptions>(*config.get("eval"), "eval");
    if (eval.cluster) {
      auto& codec = dynamic_cast<LatentCodec&>(*encoder_model);
      doing(context, "clustering the test codes (k-means)");
      record_latent_clustering([&](const torch::Tensor& x) { return codec.encode(x); },
                               pca_basis().to(device), width, on_device.split("test"), eval,
                               static_cast<uint64_t>(seed), trainer.eval_batch_size,
                               context.cache_dir, record);
    }
    const LabelledSet train = labelled_training_set(on_device, options, classes, seed);
    record.metrics["train"]["labelled_samples"] = static_cast<double>(
        options.labels_per_class ? *options.labels_per_class * classes : on_device.train_x.size(0));
    ClassifierSchedule schedule{options.frozen_epochs, options.finetune_epochs, options.lr,
                                options.finetune_lr,   options.batch_size,      {"autoencoder"}};
    torch::manual_seed(static_cast<uint64_t>(seed));
    auto classifier =
        std::make_shared<FeatureClassifierImpl>(encoder_model, width, options.head_hidden, classes);
    classifier->to(device);
    ClassifierOutcome outcome =
        train_classifier(*classifier, schedule, trainer, train, on_device.split("val"),
                         on_device.split("test"), classes, context, record);
    if (outcome.diverged) return;
    record_classification(outcome, options.frozen_epochs > 0, record.metrics["test"]);
    record.arrays["confusion"] = to_float_array(outcome.final.confusion);
    record.arrays["confusion_frozen"] = to_float_array(outcome.after_frozen.confusion);
    // The phases that ran: no frozen or no fine-tuning phase is not named as one.
    std::vector<std::string> phases;
    if (options.frozen_epochs > 0)
      phases.push_back(fmt::format("{:.4f} frozen", outcome.after_frozen.accuracy));
    if (options.finetune_epochs > 0)
      phases.push_back(fmt::format("{:.4f} fine-tuned", outcome.final.accuracy));
    say(context, "classifier: test accuracy " +
                     (phases.empty() ? fmt::format("{:.4f} (no epoch trained the head)",
                                                   outcome.final.accuracy)
                                     : fmt::format("{}", fmt::join(phases, ", "))));
    for (const std::string& name : options.baselines)
      run_baseline(name, config, options, schedule, trainer, width, classes, pca_basis, train,
                   on_device, context, record);
    record_model(record, *classifier, data.sample_shape());
    record.status = "completed";
  }

 private:
  /// The `from` run's model, or the config's model pretrained here on the unlabelled training
  /// images (null when that diverged: `record` says so).
  static std::shared_ptr<ModelImpl> encoder_for(const ConfigNode& config,
                                                const TransferOptions& options,
                                                const DataSplits& data, const PcaSource& pca_basis,
                                                const TrainerOptions& trainer,
                                                const DataSplits& on_device,
                                                const RunContext& context, RunRecord& record) {
    if (options.from) {
      const std::string path =
          resolve_run_reference(*options.from, context.results_dir, "transfer.from");
      std::shared_ptr<ModelImpl> model = load_run_model(path);
      record.notes["encoder"] = "from " + path;
      record.notes["encoder_config"] = read_run_summary(path).config_yaml;
      model->to(on_device.train_x.device());
      return model;
    }
    auto build = [&] {
      std::shared_ptr<ModelImpl> model = build_model(config, data.sample_shape(), pca_basis);
      model->to(on_device.train_x.device());
      return model;
    };
    if (trainer.epochs == 0) {
      record.notes["encoder"] = "randomly initialized (trainer.epochs=0: no pretraining)";
      return build();
    }
    const std::string note =
        fmt::format("pretrained as an autoencoder: {} epoch(s) on {} unlabelled training images",
                    trainer.epochs, on_device.train_x.size(0));
    return pretrained_autoencoder(config, trainer, build, on_device, note, context, record);
  }

  /// Trains one baseline classifier and records it under /baseline/<name>.
  static void run_baseline(const std::string& name, const ConfigNode& config,
                           const TransferOptions& options, ClassifierSchedule schedule,
                           const TrainerOptions& trainer, int64_t width, int64_t classes,
                           const PcaSource& pca_basis, const LabelledSet& train,
                           const DataSplits& data, const RunContext& context, RunRecord& record) {
    LabelledSet train_set = train, val = data.split("val"), test = data.split("test");
    std::shared_ptr<ModelImpl> features;
    int64_t inputs = width;
    const torch::Device device = data.train_x.device();
    torch::manual_seed(static_cast<uint64_t>(config.get("seed")->as_int()));
    schedule.frozen = {};
    if (name == "raw") {
      inputs = data.train_x[0].numel();
    } else if (name == "pca") {
      const PcaBasis pca = pca_basis().to(device);
      inputs = std::min(width, pca.rank());
      for (LabelledSet* set : {&train_set, &val, &test})
        *set = LabelledSet{pca.encode(set->x, inputs), set->y};
    } else {  // scratch: the same architecture, randomly initialized
      features = options.from ? build_model_for_loading(
                                    source_config(resolve_run_reference(
                                        *options.from, context.results_dir, "transfer.from")),
                                    data.sample_shape())
                              : build_model_for_loading(config, data.sample_shape());
      features->to(device);
    }
    auto model =
        std::make_shared<FeatureClassifierImpl>(features, inputs, options.head_hidden, classes);
    model->to(device);
    RunRecord history;
    ClassifierOutcome outcome = train_classifier(*model, schedule, trainer, train_set, val, test,
                                                 classes, context.for_stage(name), history);
    keep_history(std::move(history.history), name + "_", record);
    if (outcome.diverged) {
      record.notes["baseline_" + name] = "diverged: " + history.error;
      return;
    }
    // Raw pixels and PCA codes are fixed features all along; scratch has no frozen phase.
    record_classification(outcome, options.frozen_epochs > 0 && name != "scratch",
                          record.baselines[name]["test"]);
  }
};

/// The classifier a transfer run saves, rebuilt for its weights.
std::shared_ptr<ModelImpl> saved_transfer_model(const ConfigNode& config, const RunRecord& run) {
  auto encoder_config = run.notes.find("encoder_config");
  std::shared_ptr<ModelImpl> autoencoder = build_model_for_loading(
      encoder_config == run.notes.end() ? config
                                        : parse_yaml(encoder_config->second, "encoder_config"),
      run.model_input_shape);
  std::vector<int64_t> probe_shape{2};
  probe_shape.insert(probe_shape.end(), run.model_input_shape.begin(), run.model_input_shape.end());
  const int64_t width = code_width(*autoencoder, torch::zeros(probe_shape));
  const auto confusion = run.arrays.find("confusion");
  if (confusion == run.arrays.end() || confusion->second.shape.empty())
    throw DataError(
        "the transfer run has no /arrays/confusion, which gives its number of "
        "classes (damaged, or not written by run_sweep)");
  return std::make_shared<FeatureClassifierImpl>(autoencoder, width,
                                                 transfer_options(config).head_hidden,
                                                 static_cast<int64_t>(confusion->second.shape[0]));
}

/// Checks the labels and the `from` run before any job starts.
void check_transfer_data(const ConfigNode& config, const DataSplits& data,
                         const std::string& results_dir) {
  const TransferOptions options = transfer_options(config);
  if (options.from)  // a trained autoencoder for samples of this shape
    check_source_autoencoder(config,
                             resolve_run_reference(*options.from, results_dir, "transfer.from"),
                             data.sample_shape());
  require_classes(config, data, "transfer learning needs class labels");
  if (options.labels_per_class) {
    try {
      balanced_subset(label_vector(data.train_y), static_cast<int64_t>(data.classes().size()),
                      *options.labels_per_class, 0, data.classes());
    } catch (const DataError& e) {
      throw ConfigError(std::string("transfer.labels_per_class: ") + e.what());
    }
  }
}

/// What the options alone cannot check: phases that train nothing, and a model fitted in closed
/// form, which has nothing to fine-tune.
void check_transfer_config(const ConfigNode& config) {
  const TransferOptions options = transfer_options(config);
  const ConfigNode& section = *config.get("transfer");
  auto at = [&](const char* key) -> std::string {
    const ConfigNode* entry = section.get(key);
    return located(entry ? *entry : section, std::string("transfer.") + key);
  };
  if (options.frozen_epochs == 0 && options.finetune_epochs == 0)
    throw ConfigError(at("finetune_epochs") +
                      ": 0, and so is transfer.frozen_epochs: no phase trains the classifier "
                      "(give one of them 1 or more)");
  if (options.finetune_epochs > 0 && options.finetune_lr == 0)
    throw ConfigError(at("finetune_lr") + ": 0, so the " + std::to_string(options.finetune_epochs) +
                      " fine-tuning epoch(s) change nothing (give a rate above 0, such as 3e-4, "
                      "or transfer.finetune_epochs=0 for the frozen encoder alone)");
  if (!options.from && !model_declaration(config.find("model.name")->as_string()).traits.trainable)
    throw ConfigError(
        located(*config.find("model.name"), "model.name") +
        ": transfer learning fine-tunes an encoder, and " + config.find("model.name")->as_string() +
        " has none to train (PCA codes are the pca baseline already; use model=conv_ae, "
        "mlp_ae or vae)");
}

/// What a transfer from a trained encoder never reads: the pretraining's objective and the
/// trainer's schedule (the classifiers' schedule is transfer's own).
static std::vector<std::string> unread_without_pretraining(const ConfigNode& config) {
  const ConfigNode* from = config.find("transfer.from");
  if (!from || from->is_null()) return {};
  std::vector<std::string> keys{"objective"};
  for (const std::string& key : classifier_schedule_keys()) keys.push_back("trainer." + key);
  return keys;
}

AELAB_REGISTER_PLUGIN(experiment_registry(), "transfer", TransferExperiment, NoOptions)
    .describe(
        "an autoencoder's encoder as a feature extractor: a head on frozen codes, then "
        "fine-tuned, few labels optional; raw-pixel, PCA and from-scratch baselines");
/// What a transfer run reads, checks, shows and saves, for the sweep runner.
static ExperimentDeclaration transfer_declaration() {
  ExperimentDeclaration declared;
  declared.sections = {{"transfer", nullptr},
                       {"trainer", nullptr},
                       {"eval", nullptr},
                       {"objective", [](const ModelTraits& model) { return !model.variational; }}};
  declared.fits_pca = true;
  declared.progress_metrics = {"test/accuracy_frozen", "test/accuracy",
                               "baseline/raw/test/accuracy", "baseline/pca/test/accuracy",
                               "baseline/scratch/test/accuracy"};
  declared.check = check_transfer_config;
  declared.check_data = check_transfer_data;
  declared.saved_model = saved_transfer_model;
  declared.unread_keys = unread_without_pretraining;
  return declared;
}

[[maybe_unused]] static bool transfer_declared =
    declare_experiment("transfer", transfer_declaration());

}  // namespace aelab
