// The reconstruction experiment: train (or fit) a model, measure how well it reconstructs the
// train/val/test splits, and set that against PCA at the same bottleneck size.
#include <fmt/format.h>

#include <optional>

#include "framework/experiment/images_progress.h"
#include "framework/experiment/latent_clustering.h"
#include "framework/experiment/latent_evaluation.h"
#include "framework/experiment/model_store.h"
#include "framework/experiment/run_inputs.h"
#include "framework/experiment/training.h"
#include "framework/metrics/reconstruction_metrics.h"
#include "framework/models/decoder.h"
#include "framework/train/device.h"
#include "framework/train/trainer.h"

namespace aelab {

/// Options of the reconstruction experiment.
struct ReconstructionOptions {
  int64_t saved_images = 16;
  int64_t interpolation_pairs = 4;
  int64_t interpolation_steps = 10;
  int64_t saved_codes = 2000;
  template <class V>
  void visit(V& v) {
    v("saved_images", saved_images,
      "test images whose reconstructions are saved (and prior samples, for a VAE)", AtLeast{0});
    v("interpolation_pairs", interpolation_pairs,
      "pairs of test images whose codes are interpolated (/images/interpolations)", AtLeast{0});
    v("interpolation_steps", interpolation_steps, "points on each interpolation, ends included",
      AtLeast{2});
    v("saved_codes", saved_codes,
      "test samples whose codes and labels are saved (/arrays/test_codes), and for data that are "
      "not images their reconstructions (/arrays/test_points, test_reconstructions)",
      AtLeast{0});
  }
};

/// What a run records and says when model.latent_dim asks for more principal components than
/// the basis has.
struct PcaShortfall {
  std::string note;     ///< recorded under /notes/baseline_pca
  std::string warning;  ///< said before the run (--check) and by it
};

/// The shortfall of a basis of `rank` components of samples of `features` values at
/// model.latent_dim; nullopt when there is none. A code of more than `features` values is
/// overcomplete, whatever the basis; below that, the training set is too small for the basis.
std::optional<PcaShortfall> pca_shortfall(int64_t rank, int64_t features, int64_t latent_dim) {
  if (latent_dim <= rank) return std::nullopt;
  if (latent_dim > features) {
    const bool all_of_a_sample = rank >= features;
    const std::string components =
        all_of_a_sample ? fmt::format("all {} components a sample has", features)
                        : fmt::format("all {} components the training set has", rank);
    return PcaShortfall{
        fmt::format("{}, fewer than model.latent_dim={} (an overcomplete code)", components,
                    latent_dim),
        fmt::format(
            "model.latent_dim={} is more than the {} values of a sample: the code can hold "
            "the input itself (an overcomplete autoencoder), and the PCA baseline uses {}{}",
            latent_dim, features, components,
            all_of_a_sample ? ", which reconstruct it exactly" : "")};
  }
  const std::string note = fmt::format(
      "all {} components the training set has, fewer than model.latent_dim={}", rank, latent_dim);
  return PcaShortfall{note, fmt::format("the PCA baseline uses {} (use more training data for a "
                                        "baseline at k={})",
                                        note, latent_dim)};
}

/// Where eval.cluster asks for clustering that `data` cannot give (no classes to compare the
/// clusters with, or too few test images to tell k clusters apart): what the run says instead of
/// recording it.
static std::optional<std::string> cluster_warning(const ConfigNode& config,
                                                  const DataSplits& data) {
  const ConfigNode* cluster = config.find("eval.cluster");
  if (!cluster || cluster->text() != "true") return std::nullopt;
  if (!data.has_classes())
    return "eval.cluster=true: data.name=" + config.find("data.name")->as_string() +
           " has no classes to compare clusters with; no clustering recorded (leave "
           "eval.cluster out: it still gives these runs ids of their own)";
  // k-means finds as many clusters as the test images hold classes. One class, or fewer than
  // two images a cluster: any clustering scores (near) perfectly.
  if (data.test_y.dim() != 1) return std::nullopt;
  const int64_t classes = cluster_count(data.test_y);
  const int64_t images = data.test_y.size(0);
  if (classes < 2 || images < 2 * classes)
    return fmt::format(
        "eval.cluster=true: {} test image(s) of {} class(es), too few to score a clustering by "
        "(any would score near perfectly); no clustering recorded (it needs 2 classes or more "
        "and twice as many images: raise data.test_subset where it is set)",
        images, classes);
  return std::nullopt;
}

/// Binary cross-entropy reads the reconstruction as pixel probabilities.
static void check_objective_fits_decoder(const ConfigNode& config) {
  const ConfigNode* loss = config.find("objective.loss");
  if (loss && loss->as_string() == "bce" && config.get("decoder"))
    require_probability_output(*config.get("decoder"), "objective.loss=bce", "objective.loss=mse");
}

/// The training of a reconstruction run: `model` on the noise model's corrupted inputs, to
/// minimize the negative ELBO for variational models and the `objective:` section otherwise,
/// with validation curves (a VAE's include its ELBO terms: val/elbo, val/recon, val/kl).
static PreparedTraining reconstruction_training(const ConfigNode& config,
                                                std::shared_ptr<ModelImpl> model,
                                                std::shared_ptr<NoiseModel> noise,
                                                const DataSplits& data) {
  PreparedTraining training;
  training.options = decode_options<TrainerOptions>(*config.get("trainer"), "trainer");
  training.objective = reconstruction_objective(*model, config);
  training.noise = std::move(noise);
  training.train = data.split("train");
  training.val = data.split("val");
  const int64_t eval_batch = training.options.eval_batch_size;
  ModelImpl* trained = model.get();
  // A denoiser's curves score what it makes of the corrupted validation inputs too (val/
  // denoise_psnr, ...): corrupted once, from the run's seed, as the test inputs are.
  torch::Tensor noisy_val;
  if (!training.noise->is_identity() && training.val.x.size(0) > 0)
    noisy_val = corrupt_seeded(*training.noise, training.val.x,
                               static_cast<uint64_t>(config.get("seed")->as_int()));
  training.validate = [trained, eval_batch, noisy_val](const LabelledSet& val) {
    auto metrics = reconstruction_metrics(*trained, val.x, eval_batch);
    if (auto* variational = dynamic_cast<VariationalModel*>(trained))
      for (const auto& [name, value] : elbo_metrics(*variational, val.x, eval_batch))
        metrics[name] = value;
    if (noisy_val.defined() && noisy_val.sizes() == val.x.sizes()) {
      Reconstructor& reconstructor = reconstructor_of(*trained);
      for (const auto& [name, value] : denoising_metrics(
               [&](const torch::Tensor& batch) { return reconstructor.reconstruct(batch); }, val.x,
               noisy_val, eval_batch))
        if (name.rfind("denoise_", 0) == 0) metrics[name] = value;
    }
    return metrics;
  };
  training.model = std::move(model);
  return training;
}

/// What a run does before it trains, for runs trained together (launcher.stack).
static PreparedTraining reconstruction_training_setup(const ConfigNode& config,
                                                      const DataSplits& data) {
  auto no_pca = []() -> const PcaBasis& {
    throw Error("stacked training: the model needs the dataset's PCA basis");
  };
  std::shared_ptr<ModelImpl> model = build_model(config, data.sample_shape(), no_pca);
  std::shared_ptr<NoiseModel> noise = build_noise(config);
  model->to(data.train_x.device());
  return reconstruction_training(config, std::move(model), std::move(noise), data);
}

/// Trains or fits `model`, then evaluates it and the PCA baseline on every split.
class ReconstructionExperiment : public Experiment {
 public:
  ReconstructionExperiment(ReconstructionOptions options, const RunContext&) : options_(options) {}

  void run(const ConfigNode& config, const RunContext& context, RunRecord& record) override {
    torch::Device device = resolve_device(config.get("device")->as_string());
    record.device = device.str();
    const TrainingData run_data = data_for_run(config, context, device);
    const DataSplits& data = run_data.loaded;
    record_data_facts(data, record);
    const DataSplits& on_device = run_data.on_device;
    const auto pca_basis = lazy_dataset_pca(data, context.cache_dir);
    std::shared_ptr<ModelImpl> model = build_model(config, data.sample_shape(), pca_basis);
    std::shared_ptr<NoiseModel> noise = build_noise(config);
    model->to(device);
    int64_t eval_batch = TrainerOptions().eval_batch_size;
    if (model->trainable()) {
      PreparedTraining training = reconstruction_training(config, model, noise, on_device);
      eval_batch = training.options.eval_batch_size;
      if (!train_model(training.job(), context, record)) return;
    }
    const PcaBasis pca = pca_basis().to(device);
    const int64_t latent_dim = config.find("model.latent_dim")->as_int();
    if (auto shortfall = pca_shortfall(pca.rank(), pca.features(), latent_dim)) {
      record.notes["baseline_pca"] = shortfall->note;
      warn(context, shortfall->warning);
    }
    doing(context, "evaluating the test set");
    evaluate(*model, pca, latent_dim, on_device, eval_batch, record);
    const auto eval = decode_options<EvalOptions>(*config.get("eval"), "eval");
    const auto seed = static_cast<uint64_t>(config.get("seed")->as_int());
    if (auto unclustered = cluster_warning(config, on_device))  // the sweep's checks said so
      record.notes["clustering"] = *unclustered;
    else if (auto* codec = dynamic_cast<LatentCodec*>(model.get()); codec && eval.cluster) {
      model->eval();
      doing(context, "clustering the test codes (k-means)");
      record_latent_clustering([&](const torch::Tensor& x) { return codec->encode(x); }, pca,
                               latent_dim, on_device.split("test"), eval, seed, eval_batch,
                               context.cache_dir, record);
    }
    if (auto* variational = dynamic_cast<VariationalModel*>(model.get())) {
      torch::manual_seed(seed);
      const EvalOptions& options = eval;
      const std::string estimating = fmt::format(
          "estimating the test NLL ({} importance samples an image)", options.is_samples);
      if (options.is_samples > 0) doing(context, estimating);
      ImagesProgress progress(context, estimating);
      record_likelihood_metrics(*variational, splits_of(on_device), options, eval_batch, record,
                                progress.after(0));
      if (options.is_samples > 0) doing(context, "evaluating the test set");  // the rest of it
      if (options_.saved_images > 0 && on_device.test_x.dim() == 4)
        record.images["samples"] = to_image_array(
            prior_samples(*variational, options_.saved_images, device), options_.saved_images);
    }
    if (!noise->is_identity()) {
      // Every model of a seed is scored on the same corrupted test set.
      torch::manual_seed(static_cast<uint64_t>(config.get("seed")->as_int()));
      torch::Tensor noisy = noise->corrupt(on_device.test_x);
      evaluate_denoising(*model, pca, latent_dim, on_device.test_x, noisy, eval_batch, record);
      save_denoised_images(*model, pca, latent_dim, noisy, record);
    }
    save_images(*model, pca, latent_dim, on_device.test_x, record);
    save_codes(*model, on_device, record);
    record_model(record, *model, data.sample_shape());
    record.status = "completed";
  }

 private:
  /// Reconstruction metrics of the model and of PCA at the same k, on every split.
  static void evaluate(ModelImpl& model, const PcaBasis& pca, int64_t latent_dim,
                       const DataSplits& data, int64_t eval_batch, RunRecord& record) {
    for (const auto& [split, x] : splits_of(data)) {
      record.metrics[split] = reconstruction_metrics(model, x, eval_batch);
      record.baselines["pca"][split] = reconstruction_metrics(
          [&](const torch::Tensor& batch) { return pca.reconstruct(batch, latent_dim); }, x,
          eval_batch);
    }
  }

  /// test/denoise_* and test/noisy_* for the model and for PCA.
  static void evaluate_denoising(ModelImpl& model, const PcaBasis& pca, int64_t latent_dim,
                                 const torch::Tensor& clean, const torch::Tensor& noisy,
                                 int64_t eval_batch, RunRecord& record) {
    Reconstructor& reconstructor = reconstructor_of(model);
    model.eval();
    auto by_model = denoising_metrics(
        [&](const torch::Tensor& batch) { return reconstructor.reconstruct(batch); }, clean, noisy,
        eval_batch);
    auto by_pca = denoising_metrics(
        [&](const torch::Tensor& batch) { return pca.reconstruct(batch, latent_dim); }, clean,
        noisy, eval_batch);
    for (const auto& [name, value] : by_model) record.metrics["test"][name] = value;
    for (const auto& [name, value] : by_pca) record.baselines["pca"]["test"][name] = value;
  }

  /// The splits that hold samples (no `val` with data.val_fraction=0).
  static std::map<std::string, torch::Tensor> splits_of(const DataSplits& data) {
    std::map<std::string, torch::Tensor> splits;
    for (const auto& [name, x] : {std::pair{"train", data.train_x}, std::pair{"val", data.val_x},
                                  std::pair{"test", data.test_x}})
      if (x.size(0) > 0) splits[name] = x;
    return splits;
  }

  /// The first corrupted test inputs and what the model and PCA at the same k make of them (their
  /// denoising, or their colouring of grey images), beside `inputs`, the clean originals. Only
  /// for image data.
  void save_denoised_images(ModelImpl& model, const PcaBasis& pca, int64_t latent_dim,
                            const torch::Tensor& noisy, RunRecord& record) const {
    if (noisy.dim() != 4 || options_.saved_images == 0) return;
    torch::NoGradGuard no_grad;
    model.eval();
    torch::Tensor inputs = noisy.slice(0, 0, options_.saved_images);
    record.images["noisy_inputs"] = to_image_array(inputs, options_.saved_images);
    record.images["denoised"] =
        to_image_array(reconstructor_of(model).reconstruct(inputs), options_.saved_images);
    record.images["pca_denoised"] =
        to_image_array(pca.reconstruct(inputs, latent_dim), options_.saved_images);
  }

  /// Test inputs and their reconstructions; interpolations for models with a latent space. Only
  /// for image data.
  void save_images(ModelImpl& model, const PcaBasis& pca, int64_t latent_dim,
                   const torch::Tensor& test_x, RunRecord& record) const {
    if (test_x.dim() != 4) return;  // points or features, not images: nothing to draw
    torch::NoGradGuard no_grad;
    if (options_.saved_images > 0) {
      torch::Tensor inputs = test_x.slice(0, 0, options_.saved_images);
      record.images["inputs"] = to_image_array(inputs, options_.saved_images);
      record.images["reconstructions"] =
          to_image_array(reconstructor_of(model).reconstruct(inputs), options_.saved_images);
      record.images["pca_reconstructions"] =
          to_image_array(pca.reconstruct(inputs, latent_dim), options_.saved_images);
    }
    auto* codec = dynamic_cast<LatentCodec*>(&model);
    if (codec && options_.interpolation_pairs > 0 && test_x.size(0) >= 2) {
      torch::Tensor path = interpolations(*codec, test_x, options_.interpolation_pairs,
                                          options_.interpolation_steps);
      record.images["interpolations"] = to_image_array(path, path.size(0));
    }
  }

  /// The codes of the first test samples with their labels (latent-space plots); for points
  /// (data that are not images), the points and their reconstructions too.
  void save_codes(ModelImpl& model, const DataSplits& data, RunRecord& record) const {
    const int64_t n = std::min(options_.saved_codes, data.test_x.size(0));
    if (n == 0) return;
    torch::NoGradGuard no_grad;
    model.eval();
    torch::Tensor inputs = data.test_x.slice(0, 0, n);
    if (auto* codec = dynamic_cast<LatentCodec*>(&model)) {
      record.arrays["test_codes"] = to_float_array(codec->encode(inputs));
      if (data.test_y.defined() && data.test_y.dim() == 1)
        record.arrays["test_code_labels"] = to_float_array(data.test_y.slice(0, 0, n));
    }
    if (inputs.dim() == 2) {
      record.arrays["test_points"] = to_float_array(inputs);
      record.arrays["test_reconstructions"] =
          to_float_array(reconstructor_of(model).reconstruct(inputs));
    }
  }

  ReconstructionOptions options_;
};

AELAB_REGISTER_PLUGIN(experiment_registry(), "reconstruction", ReconstructionExperiment,
                      ReconstructionOptions)
    .describe("train or fit the model; reconstruction metrics per split next to PCA at the same k");
/// What a reconstruction run reads, checks, shows and stacks, for the sweep runner.
static ExperimentDeclaration reconstruction_declaration() {
  ExperimentDeclaration declared;
  declared.sections = {
      {"noise", nullptr, /*optional=*/true},
      {"trainer", [](const ModelTraits& model) { return model.trainable; }},
      {"objective", [](const ModelTraits& model) { return model.trainable && !model.variational; }},
      {"eval", nullptr}};
  declared.fits_pca = true;
  declared.progress_metrics = {"test/sse", "baseline/pca/test/sse", "test/elbo", "test/nll_is",
                               "test/cluster_accuracy"};
  // A denoiser's line: its output's PSNR beside PCA's and the corrupted input's own (its SSE
  // on clean inputs, worse than PCA's, is not what it was trained for).
  declared.progress_metrics_instead = {"test/denoise_psnr", "baseline/pca/test/denoise_psnr",
                                       "test/noisy_psnr", "test/cluster_accuracy"};
  declared.check = check_objective_fits_decoder;
  declared.training_setup = reconstruction_training_setup;
  declared.pca_warnings = [](const ConfigNode& config, int64_t pca_rank, int64_t features) {
    const auto shortfall =
        pca_shortfall(pca_rank, features, config.find("model.latent_dim")->as_int());
    return shortfall ? std::vector<std::string>{shortfall->warning} : std::vector<std::string>{};
  };
  declared.data_warnings = [](const ConfigNode& config, const DataSplits& data) {
    auto unclustered = cluster_warning(config, data);
    return unclustered ? std::vector<std::string>{*unclustered} : std::vector<std::string>{};
  };
  return declared;
}

[[maybe_unused]] static bool reconstruction_declared =
    declare_experiment("reconstruction", reconstruction_declaration());

}  // namespace aelab
