// The trainer: reproducible on CPU, divergence detection, and a linear autoencoder reaching
// PCA's reconstruction error.
#include "framework/train/trainer.h"

#include <gtest/gtest.h>

#include "framework/baselines/pca.h"
#include "framework/core/yaml_io.h"
#include "framework/metrics/reconstruction_metrics.h"
#include "framework/models/model.h"
#include "framework/train/objective.h"

namespace aelab {
namespace {

/// Smooth 1x6x6 images driven by 4 latent factors plus a little noise.
torch::Tensor low_rank_images(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  torch::Tensor factors = torch::rand({n, 4});
  torch::Tensor patterns = torch::rand({4, 36}) / 4;
  torch::Tensor x = torch::matmul(factors, patterns) + 0.01 * torch::rand({n, 36});
  return x.clamp(0, 1).view({n, 1, 6, 6});
}

/// An autoencoder with `family` (mlp or linear) encoder and decoder on 1x6x6 images.
std::shared_ptr<ModelImpl> make_model(const std::string& family, int64_t latent_dim,
                                      uint64_t seed) {
  std::string part = family == "mlp" ? "{name: mlp, hidden: [16]}" : "{name: linear}";
  BuildContext context;
  context.input_shape = {1, 6, 6};
  context.config = parse_yaml("encoder: " + part + "\ndecoder: " + part + "\n", "test");
  ConfigNode section = parse_yaml("name: ae\nlatent_dim: " + std::to_string(latent_dim), "test");
  torch::manual_seed(seed);
  return model_registry().at("ae").make(section, context);
}

/// Trains with the mse reconstruction objective; validation is the reconstruction metrics.
TrainOutcome fit(ModelImpl& model, const TrainerOptions& options,
                 std::vector<std::shared_ptr<TrainerCallback>> callbacks, const torch::Tensor& x,
                 const torch::Tensor& val_x) {
  auto objective = make_objective("reconstruction");
  return Trainer(options, std::move(callbacks))
      .fit(model, *objective, {x, {}}, {val_x, {}}, nullptr,
           [&](const LabelledSet& val) { return reconstruction_metrics(model, val.x, 2000); });
}

TEST(Trainer, SameSeedGivesIdenticalMetricsOnCpu) {
  torch::Tensor x = low_rank_images(256, 0);
  auto run = [&] {
    auto model = make_model("mlp", 2, 7);
    TrainerOptions options;
    options.epochs = 3;
    options.batch_size = 32;
    auto history = std::make_shared<HistoryRecorder>();
    torch::manual_seed(7);
    fit(*model, options, {history}, x, x.slice(0, 0, 64));
    return history->history();
  };
  auto first = run(), second = run();
  EXPECT_EQ(first.at("train").at("loss").size(), 3u);
  EXPECT_EQ(first, second);
  EXPECT_LT(first.at("train").at("loss").back(), first.at("train").at("loss").front());
}

TEST(Trainer, ValidationMetricsComeFromTheGivenFunction) {
  torch::Tensor x = low_rank_images(64, 2);
  auto model = make_model("mlp", 2, 0);
  TrainerOptions options;
  options.epochs = 2;
  auto history = std::make_shared<HistoryRecorder>();
  int64_t calls = 0;
  auto objective = make_objective("reconstruction");
  Trainer(options, {history})
      .fit(*model, *objective, {x, {}}, {x.slice(0, 0, 8), {}}, nullptr,
           [&](const LabelledSet& val) {
             EXPECT_EQ(val.size(), 8);
             return std::map<std::string, double>{
                 {"rows", static_cast<double>(val.size() + calls++)}};
           });
  EXPECT_EQ(history->history().at("val").at("rows"), (std::vector<double>{8, 9}));
  EXPECT_EQ(history->history().at("val").count("mse"), 0u);
}

TEST(Trainer, NonFiniteLossStopsAsDiverged) {
  torch::Tensor x = low_rank_images(64, 1);
  auto model = make_model("linear", 2, 0);
  TrainerOptions options;
  options.epochs = 5;
  options.lr = 1e30;
  auto history = std::make_shared<HistoryRecorder>();
  TrainOutcome outcome = fit(*model, options, {history}, x, x);
  EXPECT_TRUE(outcome.diverged);
  EXPECT_LT(outcome.epochs_run, 5);
  EXPECT_NE(outcome.message.find("try a lower trainer.lr"), std::string::npos);
}

/// Samples along orthonormal patterns with well-separated spreads (1, 0.5, 0.05, 0.02), so the
/// top-2 subspace is well defined.
torch::Tensor separated_spectrum_images(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  torch::Tensor patterns = std::get<0>(torch::linalg_qr(torch::randn({36, 4}))).t();
  torch::Tensor scales = torch::tensor({1.0, 0.5, 0.05, 0.02});
  torch::Tensor x = torch::matmul(torch::randn({n, 4}) * scales, patterns);
  return x.view({n, 1, 6, 6});
}

TEST(Trainer, LinearAutoencoderConvergesToPcaError) {
  torch::Tensor x = separated_spectrum_images(512, 2);
  const int64_t k = 2;
  auto model = make_model("linear", 2, 3);
  TrainerOptions options;
  options.epochs = 400;  // the cosine decay removes the minibatch noise floor at the end
  options.batch_size = 32;
  options.lr = 1e-2;
  options.lr_schedule = "cosine";
  fit(*model, options, {}, x, x.slice(0, 0, 8));
  PcaBasis basis = fit_pca(x);
  double pca_sse = reconstruction_metrics(
      [&](const torch::Tensor& b) { return basis.reconstruct(b, k); }, x, 512)["sse"];
  double linear_sse = reconstruction_metrics(*model, x, 512)["sse"];
  EXPECT_GE(linear_sse, pca_sse * 0.999);  // PCA is the optimum of any rank-k linear map
  EXPECT_LT(linear_sse, pca_sse * 1.02);
}

TEST(Metrics, MatchHandComputedValues) {
  torch::Tensor x = torch::full({4, 1, 2, 2}, 0.5);
  auto metrics =
      reconstruction_metrics([](const torch::Tensor& b) { return torch::zeros_like(b); }, x, 3);
  EXPECT_DOUBLE_EQ(metrics["mse"], 0.25);
  EXPECT_DOUBLE_EQ(metrics["sse"], 1.0);  // 4 pixels x 0.25 per image
  EXPECT_NEAR(metrics["psnr"], 6.0206, 1e-4);
}

}  // namespace
}  // namespace aelab
