// bench_trainer: times aelab's trainer on the peer's workload (MLP autoencoder on
// Fashion-MNIST) and prints the same line format as ../shared/bench/peer_pytorch_ae.py.
#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>

#include "framework/core/yaml_io.h"
#include "framework/experiment/run_inputs.h"
#include "framework/metrics/reconstruction_metrics.h"
#include "framework/train/device.h"
#include "framework/train/trainer.h"

namespace po = boost::program_options;

namespace aelab {

/// Prints each epoch's time (training only) and test SSE the way the peer does.
class BenchReport : public TrainerCallback {
 public:
  BenchReport(ModelImpl& model, torch::Tensor test_x) : model_(model), test_x_(std::move(test_x)) {}
  void on_epoch_end(const EpochSummary& summary) override {
    double sse = reconstruction_metrics(model_, test_x_, 2000)["sse"];
    model_.train();
    std::cout << fmt::format("epoch {}: {:.2f} s, test sse {:.4f}, threads {}\n", summary.epoch,
                             summary.seconds, sse, torch::get_num_threads());
  }

 private:
  ModelImpl& model_;
  torch::Tensor test_x_;
};

int bench(int argc, char** argv) {
  po::options_description options(
      "bench_trainer [--latent 32] [--hidden 512,256] [--epochs 1] [--batch 128] [--threads 1]");
  options.add_options()("latent", po::value<int64_t>()->default_value(32), "")(
      "hidden", po::value<std::string>()->default_value("512,256"), "")(
      "epochs", po::value<int64_t>()->default_value(1), "")(
      "batch", po::value<int64_t>()->default_value(128), "")(
      "threads", po::value<int64_t>()->default_value(1), "")(
      "data", po::value<std::string>()->default_value("/usr/share/datasets/fashion-mnist"), "");
  po::variables_map args;
  po::store(po::parse_command_line(argc, argv, options), args);
  set_cpu_threads(args["threads"].as<int64_t>());
  std::string hidden = args["hidden"].as<std::string>();
  std::vector<std::string> widths;
  for (size_t start = 0; start <= hidden.size();) {
    size_t comma = std::min(hidden.find(',', start), hidden.size());
    if (comma > start) widths.push_back(hidden.substr(start, comma - start));
    start = comma + 1;
  }
  std::string reversed = fmt::format("{}", fmt::join(widths.rbegin(), widths.rend(), ","));
  // The peer trains on all 60000 training images: no validation split here.
  ConfigNode config = parse_yaml(
      fmt::format("seed: 0\ndata: {{name: fashion_mnist, root: '{}', val_fraction: 0.0}}\n"
                  "model: {{name: ae, latent_dim: {}}}\nencoder: {{name: mlp, hidden: [{}]}}\n"
                  "decoder: {{name: mlp, hidden: [{}]}}\n",
                  args["data"].as<std::string>(), args["latent"].as<int64_t>(), hidden, reversed),
      "bench");
  DataSplits data = load_data(config);
  auto model = build_model(config, data.sample_shape(), nullptr);
  auto objective = make_objective("reconstruction");
  TrainerOptions trainer;
  trainer.epochs = args["epochs"].as<int64_t>();
  trainer.batch_size = args["batch"].as<int64_t>();
  // The epoch time covers training and a validation pass over one image; the peer's covers
  // training alone, and both report the test SSE computed after the clock stops.
  auto report = std::make_shared<BenchReport>(*model, data.test_x);
  LabelledSet one_image{data.test_x.slice(0, 0, 1), {}};
  Trainer(trainer, {report})
      .fit(*model, *objective, {data.train_x, data.train_y}, one_image, nullptr,
           [&](const LabelledSet& val) { return reconstruction_metrics(*model, val.x, 2000); });
  return 0;
}

}  // namespace aelab

int main(int argc, char** argv) {
  aelab::keep_freed_memory_for_reuse();
  try {
    return aelab::bench(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return aelab::exit_code_for(e);
  }
}
