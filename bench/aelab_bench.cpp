// aelab_bench: aelab's side of each `make bench` workload (bench/run_bench.py runs it beside its
// plain-PyTorch or scikit-learn peer in bench/peers/). Each measurement is one JSON line:
//   {"workload": ..., "seconds": ..., <what it computed, to check both sides agree>}
#include <ATen/Parallel.h>
#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <tuple>

#include "bench/device_clock.h"
#include "framework/baselines/pca.h"
#include "framework/core/error_message.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/run_inputs.h"
#include "framework/metrics/likelihood_metrics.h"
#include "framework/metrics/reconstruction_metrics.h"
#include "framework/models/autoencoder.h"
#include "framework/stacking/stacked_trainer.h"
#include "framework/train/blas_kernels.h"
#include "framework/train/device.h"
#include "framework/train/fused_adam.h"
#include "framework/train/trainer.h"

namespace po = boost::program_options;

namespace aelab {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The float32 GEMM rate of this process's threads, in GFLOP/s: the best of several 1024^3
/// products.
double gemm_gflops() {
  const int64_t n = 1024;
  torch::Tensor a = torch::randn({n, n}), b = torch::randn({n, n});
  torch::Tensor c = torch::matmul(a, b);
  double best = 1e30;
  for (int repeat = 0; repeat < 5; ++repeat) {
    Clock::time_point start = Clock::now();
    for (int i = 0; i < 4; ++i) c = torch::matmul(a, b);
    best = std::min(best, seconds_since(start) / 4);
  }
  return 2.0 * n * n * n / best / 1e9;
}

/// The GEMM rate right after a workload's timed part: this machine's speed drifts over minutes,
/// so its floor is judged against the rate of the same moment, not of the suite's start.
void print_gemm_rate(const std::string& workload) {
  std::cout << fmt::format("{{\"workload\": \"{}\", \"gemm_gflops\": {:.2f}}}\n", workload,
                           gemm_gflops());
}

/// Options shared by the workloads (each reads the ones it needs).
struct BenchOptions {
  std::string data;
  int64_t epochs, batch, threads, latent, images, test_images, nll_images, is_samples,
      samples_per_batch, components, variants;
  std::string hidden, precision, device;
  bool on_cpu() const { return resolve_device(device).is_cpu(); }
};

std::string data_yaml(const BenchOptions& options) {
  // The peers train on the first `images` training images, with no validation split.
  return fmt::format("data: {{name: fashion_mnist, root: '{}', val_fraction: 0.0, subset: {}}}\n",
                     options.data, options.images > 0 ? std::to_string(options.images) : "null");
}

/// Prints each epoch's training time (the validation pass sees one image) the way the peers do,
/// then the test metric of the trained model. On a CUDA device the epoch is timed with CUDA
/// events.
class EpochTimes : public TrainerCallback {
 public:
  EpochTimes(std::string workload, const torch::Device& device, std::string extra = "")
      : workload_(std::move(workload)), clock_(device), extra_(std::move(extra)) {}
  void on_epoch_start(int64_t, int64_t) override { clock_.start(); }
  void on_epoch_end(const EpochSummary& summary) override {
    std::cout << fmt::format(
                     "{{\"workload\": \"{}\", \"epoch\": {}, \"seconds\": {:.4f}, "
                     "\"timing\": \"{}\"{}}}\n",
                     workload_, summary.epoch, clock_.seconds(), clock_.method(), extra_)
              << std::flush;
  }

 private:
  std::string workload_;
  DeviceClock clock_;
  std::string extra_;  ///< more JSON fields, each with its leading comma
};

/// Trains the model of `model_yaml` for the configured epochs; returns it with its test data.
std::pair<std::shared_ptr<ModelImpl>, DataSplits> train(const std::string& workload,
                                                        const std::string& model_yaml,
                                                        const BenchOptions& options) {
  ConfigNode config = parse_yaml("seed: 0\n" + data_yaml(options) + model_yaml, "bench");
  DataSplits data = load_data(config);
  auto model = build_model(config, data.sample_shape(), nullptr);
  const torch::Device device = resolve_device(options.device);
  model->to(device);
  data = data.to(device);
  auto objective = dynamic_cast<VariationalModel*>(model.get()) ? make_objective("negative_elbo")
                                                                : make_objective("reconstruction");
  TrainerOptions trainer;
  trainer.epochs = options.epochs;
  trainer.batch_size = options.batch;
  trainer.precision = options.precision;
  LabelledSet one_image{data.test_x.slice(0, 0, 1), {}};
  Trainer(trainer, {std::make_shared<EpochTimes>(workload, device)})
      .fit(*model, *objective, {data.train_x, data.train_y}, one_image, nullptr,
           [&](const LabelledSet& val) { return reconstruction_metrics(*model, val.x, 2000); });
  return {model, data};
}

void print_test_sse(const std::string& workload, ModelImpl& model, const torch::Tensor& test_x) {
  double sse = reconstruction_metrics(model, test_x, 2000)["sse"];
  std::cout << fmt::format("{{\"workload\": \"{}\", \"test_sse\": {:.6f}}}\n", workload, sse);
}

std::string reversed_widths(const std::string& hidden) {
  std::vector<std::string> widths;
  for (size_t start = 0; start <= hidden.size();) {
    size_t comma = std::min(hidden.find(',', start), hidden.size());
    if (comma > start) widths.push_back(hidden.substr(start, comma - start));
    start = comma + 1;
  }
  return fmt::format("{}", fmt::join(widths.rbegin(), widths.rend(), ","));
}

/// The seconds one call of `pass` takes: the best of three timings of 100 calls, after 10
/// untimed ones.
double seconds_per_call(const std::function<void()>& pass) {
  for (int i = 0; i < 10; ++i) pass();
  double best = 1e300;
  for (int repeat = 0; repeat < 3; ++repeat) {
    const int calls = 100;
    Clock::time_point start = Clock::now();
    for (int i = 0; i < calls; ++i) pass();
    best = std::min(best, seconds_since(start) / calls);
  }
  return best;
}

/// The dense layers of an MLP or linear autoencoder, encoder then decoder.
DenseChain dense_layers_of(ModelImpl& model) {
  auto* autoencoder = dynamic_cast<AutoencoderImpl*>(&model);
  DenseChain layers = autoencoder->encoder().dense_chain();
  for (const auto& layer : autoencoder->decoder().dense_chain()) layers.push_back(layer);
  return layers;
}

/// The time an epoch's matrix products alone take at the autoencoder's own shapes (each step:
/// forward, weight gradient, and input gradient for all but the first layer): the best floor
/// fraction this BLAS allows the workload, whatever else the epoch does.
void print_gemm_bound(const std::string& workload, ModelImpl& model, int64_t images,
                      int64_t batch) {
  const DenseChain layers = dense_layers_of(model);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> weights, inputs, grads;
  for (const auto& layer : layers) {
    weights.push_back(layer.linear->weight.detach().clone());
    inputs.push_back(torch::randn({batch, weights.back().size(1)}));
    grads.push_back(torch::randn({batch, weights.back().size(0)}));
  }
  auto step = [&] {
    for (size_t i = 0; i < layers.size(); ++i) {
      torch::mm(inputs[i], weights[i].t());
      torch::mm(grads[i].t(), inputs[i]);
      if (i > 0) torch::mm(grads[i], weights[i]);
    }
  };
  const double per_epoch =
      seconds_per_call(step) * static_cast<double>((images + batch - 1) / batch);
  std::cout << fmt::format("{{\"workload\": \"{}\", \"gemms_seconds\": {:.4f}}}\n", workload,
                           per_epoch);
}

/// An epoch's optimizer steps alone at the autoencoder's parameter sizes: aelab's fused Adam, and
/// the least memory traffic any Adam with float32 state must do (read the gradient, read and write
/// the parameter and both moments, once a step), timed as a pass that does only that.
void print_optimizer_bound(const std::string& workload, ModelImpl& model, int64_t images,
                           int64_t batch) {
  std::vector<torch::Tensor> parameters, gradients, moments;
  for (const auto& parameter : model.parameters()) {
    parameters.push_back(parameter.detach().clone().requires_grad_());
    gradients.push_back(torch::randn_like(parameter) * 1e-3);
    parameters.back().mutable_grad() = gradients.back();
    moments.push_back(torch::zeros_like(parameter));
    moments.push_back(torch::zeros_like(parameter));
  }
  auto optimizer = make_fused_adam({torch::optim::OptimizerParamGroup(parameters)},
                                   torch::optim::AdamOptions(1e-3));
  torch::NoGradGuard no_grad;
  auto traffic = [&] {  // p, m, v <- themselves + g: the same bytes, almost no arithmetic
    for (size_t t = 0; t < parameters.size(); ++t) {
      float* p = parameters[t].data_ptr<float>();
      float* m = moments[2 * t].data_ptr<float>();
      float* v = moments[2 * t + 1].data_ptr<float>();
      const float* g = gradients[t].data_ptr<float>();
      at::parallel_for(0, parameters[t].numel(), 16384, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
          p[i] += g[i];
          m[i] += g[i];
          v[i] += g[i];
        }
      });
    }
  };
  const double steps_per_epoch = static_cast<double>((images + batch - 1) / batch);
  auto per_epoch = [&](const std::function<void()>& pass) {
    return seconds_per_call(pass) * steps_per_epoch;
  };
  const double adam = per_epoch([&] { optimizer->step(); });
  std::cout << fmt::format(
      "{{\"workload\": \"{}\", \"adam_seconds\": {:.4f}, \"adam_traffic_seconds\": {:.4f}}}\n",
      workload, adam, per_epoch(traffic));
}

/// The per-split metrics a run computes, on the test set, timed (after one untimed pass), with
/// their FLOPs: one forward pass of each test image through the dense layers.
void print_evaluation(const std::string& workload, ModelImpl& model, const torch::Tensor& test_x) {
  const DenseChain layers = dense_layers_of(model);
  double macs = 0;
  for (const auto& layer : layers) macs += static_cast<double>(layer.linear->weight.numel());
  reconstruction_metrics(model, test_x, 2000);
  Clock::time_point start = Clock::now();
  reconstruction_metrics(model, test_x, 2000);
  std::cout << fmt::format(
      "{{\"workload\": \"{}\", \"eval_seconds\": {:.4f}, \"eval_flops\": {:.6g}}}\n", workload,
      seconds_since(start), 2 * macs * static_cast<double>(test_x.size(0)));
}

void mlp(const BenchOptions& options) {
  auto [model, data] =
      train("mlp",
            fmt::format("model: {{name: ae, latent_dim: {}}}\n"
                        "encoder: {{name: mlp, hidden: [{}]}}\n"
                        "decoder: {{name: mlp, hidden: [{}], output: sigmoid}}\n",
                        options.latent, options.hidden, reversed_widths(options.hidden)),
            options);
  print_test_sse("mlp", *model, data.test_x);
  if (!options.on_cpu()) return;  // the bounds below are the CPU's
  print_gemm_rate("mlp");
  print_gemm_bound("mlp", *model, data.train_x.size(0), options.batch);
  print_optimizer_bound("mlp", *model, data.train_x.size(0), options.batch);
  print_evaluation("mlp", *model, data.test_x);
}

void conv(const BenchOptions& options) {
  // aelab's default conv encoder and decoder (configs/encoder/conv.yaml, decoder/conv.yaml).
  auto [model, data] = train("conv",
                             fmt::format("model: {{name: ae, latent_dim: {}}}\n"
                                         "encoder: {{name: conv}}\ndecoder: {{name: conv}}\n",
                                         options.latent),
                             options);
  if (options.on_cpu()) print_gemm_rate("conv");
  print_test_sse("conv", *model, data.test_x.slice(0, 0, options.test_images));
}

void vae(const BenchOptions& options) {
  // pytorch/examples' VAE: 784-400-(20)-400-784, Bernoulli likelihood, standard normal prior.
  auto [model, data] = train("vae",
                             fmt::format("model: {{name: vae, latent_dim: {}}}\n"
                                         "encoder: {{name: mlp, hidden: [400]}}\n"
                                         "decoder: {{name: mlp, hidden: [400], output: sigmoid}}\n"
                                         "prior: {{name: normal}}\n",
                                         options.latent),
                             options);
  if (options.on_cpu()) print_gemm_rate("vae");
  model->eval();
  torch::NoGradGuard no_grad;
  torch::Tensor images = data.test_x.slice(0, 0, options.nll_images);
  DeviceClock clock(images.device());
  clock.start();
  double nll = importance_sampled_nll(dynamic_cast<VariationalModel&>(*model), images,
                                      options.is_samples, options.samples_per_batch);
  std::cout << fmt::format(
      "{{\"workload\": \"is_nll\", \"seconds\": {:.4f}, \"images\": {}, \"samples\": {}, "
      "\"nll\": {:.4f}, \"timing\": \"{}\"}}\n",
      clock.seconds(), images.size(0), options.is_samples, nll, clock.method());
  if (options.on_cpu()) print_gemm_rate("is_nll");
}

void pca(const BenchOptions& options) {
  ConfigNode config = parse_yaml(data_yaml(options), "bench");
  Clock::time_point loading = Clock::now();
  DataSplits data = load_data(config);
  std::cout << fmt::format("{{\"workload\": \"load\", \"seconds\": {:.4f}}}\n",
                           seconds_since(loading));
  Clock::time_point start = Clock::now();
  PcaBasis basis = fit_pca(data.train_x);
  double seconds = seconds_since(start);
  const int64_t k = options.components;
  if (k > basis.rank())
    throw ConfigError(
        fmt::format("--components {}: the fit has {} components (lower it)", k, basis.rank()));
  double sse = (basis.reconstruct(data.test_x, k) - data.test_x)
                   .flatten(1)
                   .to(torch::kFloat64)
                   .pow(2)
                   .sum(1)
                   .mean()
                   .item<double>();
  std::cout << fmt::format(
      "{{\"workload\": \"pca\", \"seconds\": {:.4f}, \"components\": {}, \"test_sse\": {:.6f}}}\n",
      seconds, k, sse);
}

/// `--variants` K autoencoders 784-hidden-k (k = 2..K+1, seed k - 2) trained as one stacked model,
/// as a sweep with launcher.stack=K trains them: each epoch's time for all K; then the mean
/// test SSE.
void stacked(const BenchOptions& options) {
  ConfigNode config = parse_yaml("seed: 0\n" + data_yaml(options), "bench");
  const torch::Device device = resolve_device(options.device);
  DataSplits data = load_data(config).to(device);
  auto objective = make_objective("reconstruction");
  std::vector<std::shared_ptr<ModelImpl>> models;
  std::vector<StackedVariant> variants;
  for (int64_t k = 0; k < options.variants; ++k) {
    ConfigNode model_config =
        parse_yaml(fmt::format("seed: {}\nmodel: {{name: ae, latent_dim: {}}}\n"
                               "encoder: {{name: mlp, hidden: [{}]}}\n"
                               "decoder: {{name: mlp, hidden: [{}], output: sigmoid}}\n",
                               k, k + 2, options.hidden, reversed_widths(options.hidden)),
                   "bench");
    models.push_back(build_model(model_config, data.sample_shape(), nullptr));
    models.back()->to(device);
    StackedVariant v;
    v.model = stackable_autoencoder(*models.back());
    v.objective = objective.get();
    v.options.epochs = options.epochs;
    v.options.batch_size = options.batch;
    v.train = {data.train_x, data.train_y};
    // Its own data order, as its own seed gives it in a sweep (build_model seeded from it).
    v.rng_state = at::globalContext().defaultGenerator(device).get_state();
    // Timed from the first variant's epoch start to its epoch end: the stack's epoch, but for
    // the other variants' hand-over of weights after it (the first ends first).
    if (k == 0)
      v.callbacks = {std::make_shared<EpochTimes>(
          "stacked", device, fmt::format(", \"variants\": {}", options.variants))};
    variants.push_back(std::move(v));
  }
  fit_stacked(variants);
  double sse = 0;
  for (auto& model : models) sse += reconstruction_metrics(*model, data.test_x, 2000)["sse"];
  std::cout << fmt::format("{{\"workload\": \"stacked\", \"mean_test_sse\": {:.6f}}}\n",
                           sse / static_cast<double>(models.size()));
}

/// The float32 GEMM rate of this process's threads, measured on its own.
void gemm(const BenchOptions&) {
  std::cout << fmt::format("{{\"workload\": \"gemm\", \"gflops\": {:.2f}, \"blas\": {}}}\n",
                           gemm_gflops(), to_json(ConfigNode::string(blas_kernels())));
}

int bench(int argc, char** argv) {
  po::options_description described(
      "aelab_bench WORKLOAD [options]: aelab's side of one `make bench` workload, as JSON lines "
      "(make bench runs each beside its peer and prints the table; see the README's Speed)\n"
      "WORKLOAD: gemm (the float32 GEMM rate), mlp, conv, vae (an epoch, and the VAE's IS-NLL), "
      "pca (the fit at --components), stacked (--variants autoencoders at once)\n"
      "make bench runs conv with --images 4000; on the full training set an epoch takes a minute "
      "or more on one thread.\nOptions");
  BenchOptions options;
  std::string workload;
  described.add_options()("help,h", "show this help")("workload", po::value(&workload),
                                                      "gemm, mlp, conv, vae, pca or stacked")(
      "data", po::value(&options.data)->default_value("/usr/share/datasets/fashion-mnist"),
      "Fashion-MNIST's folder of IDX files")("epochs", po::value(&options.epochs)->default_value(2),
                                             "epochs to train (each timed)")(
      "batch", po::value(&options.batch)->default_value(128), "batch size")(
      "threads", po::value(&options.threads)->default_value(1), "torch threads")(
      "latent", po::value(&options.latent)->default_value(32), "code size k")(
      "hidden", po::value(&options.hidden)->default_value("512,256"),
      "mlp: hidden widths, comma-separated")("precision",
                                             po::value(&options.precision)->default_value("fp32"),
                                             "trainer.precision: fp32 or bf16")(
      "images", po::value(&options.images)->default_value(0), "training images (0: all)")(
      "test-images", po::value(&options.test_images)->default_value(1000), "conv: test images")(
      "nll-images", po::value(&options.nll_images)->default_value(1000),
      "vae: test images of the IS-NLL")("is-samples",
                                        po::value(&options.is_samples)->default_value(1000),
                                        "vae: importance samples per image")(
      "samples-per-batch", po::value(&options.samples_per_batch)->default_value(2000),
      "vae: images x samples decoded at once (eval.samples_per_batch)")(
      "components", po::value(&options.components)->default_value(32), "pca: components")(
      "variants", po::value(&options.variants)->default_value(64),
      "stacked: autoencoders trained at once (784-hidden-k, k = 2..variants+1)")(
      "device", po::value(&options.device)->default_value("cpu"),
      "mlp, conv, vae, stacked: cpu, cuda or cuda:N (data and model on it; epochs timed to its "
      "results)");
  po::positional_options_description positional;
  positional.add("workload", 1);
  po::variables_map args;
  po::store(po::command_line_parser(argc, argv).options(described).positional(positional).run(),
            args);
  po::notify(args);
  if (args.count("help")) {
    std::cout << described << "\n";
    return 0;
  }
  if (workload.empty())
    throw ConfigError(
        "no workload: give one of gemm, mlp, conv, vae, pca or stacked (as in "
        "aelab_bench pca; aelab_bench --help for the options)");
  if (options.precision != "fp32" && options.precision != "bf16")
    throw ConfigError("--precision '" + options.precision + "': expected fp32 or bf16");
  const std::vector<std::tuple<const char*, int64_t, int64_t>> counts = {
      {"epochs", options.epochs, 0},
      {"batch", options.batch, 1},
      {"threads", options.threads, 1},
      {"latent", options.latent, 1},
      {"images", options.images, 0},
      {"test-images", options.test_images, 1},
      {"nll-images", options.nll_images, 1},
      {"is-samples", options.is_samples, 1},
      {"samples-per-batch", options.samples_per_batch, 1},
      {"components", options.components, 1},
      {"variants", options.variants, 1}};
  for (const auto& [name, value, least] : counts)
    if (value < least)
      throw ConfigError(fmt::format("--{} {}: expected {} or more", name, value, least));
  check_device_spec(options.device);
  set_cpu_threads(options.threads);
  const std::map<std::string, void (*)(const BenchOptions&)> workloads{
      {"gemm", gemm}, {"mlp", mlp}, {"conv", conv},
      {"vae", vae},   {"pca", pca}, {"stacked", stacked}};
  auto found = workloads.find(workload);
  if (found == workloads.end())
    throw ConfigError("workload '" + workload + "': expected gemm, mlp, conv, vae, pca or stacked");
  found->second(options);
  return 0;
}

}  // namespace
}  // namespace aelab

int main(int argc, char** argv) {
  aelab::keep_freed_memory_for_reuse();
  try {
    return aelab::bench(argc, argv);
  } catch (const boost::program_options::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const c10::Error& e) {  // LibTorch's message, without its stack trace
    const std::string message = e.what_without_backtrace();
    std::cerr << "error: LibTorch: " << message.substr(0, message.find('\n')) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << aelab::one_line_message(e) << "\n";
    return aelab::exit_code_for(e);
  }
}
