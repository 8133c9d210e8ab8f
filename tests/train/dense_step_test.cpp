// The hand-written dense step gives, bit for bit, the loss and gradients autograd gives; it
// declines every model and setting it does not cover, and the trainer then keeps autograd.
#include "framework/train/dense_step.h"

#include <gtest/gtest.h>

#include "framework/core/yaml_io.h"
#include "framework/models/autoencoder.h"
#include "framework/models/model.h"
#include "framework/train/autocast.h"
#include "framework/train/objective.h"
#include "framework/train/trainer.h"

namespace aelab {
namespace {

/// The build context of an autoencoder on 1 x side x side images with these YAML parts.
BuildContext context_for(const std::string& encoder, const std::string& decoder, int64_t side = 6) {
  BuildContext context;
  context.input_shape = {1, side, side};
  context.config = parse_yaml("encoder: " + encoder + "\ndecoder: " + decoder + "\n", "test");
  return context;
}

/// An autoencoder (`model.name=ae`) from YAML encoder and decoder sections, seeded.
std::shared_ptr<ModelImpl> make_autoencoder(const std::string& encoder, const std::string& decoder,
                                            int64_t side = 6, int64_t latent_dim = 3) {
  const BuildContext context = context_for(encoder, decoder, side);
  torch::manual_seed(3);
  return model_registry().at("ae").make(
      parse_yaml("name: ae\nlatent_dim: " + std::to_string(latent_dim), "test"), context);
}

std::shared_ptr<Objective> reconstruction(const std::string& loss) {
  return make_objective(parse_yaml("name: reconstruction\nloss: " + loss, "test"));
}

/// Each parameter's gradient by name (undefined where there is none), after clearing them.
using Gradients = std::vector<std::pair<std::string, torch::Tensor>>;
Gradients gradients_of(ModelImpl& model) {
  Gradients out;
  for (const auto& item : model.named_parameters())
    out.emplace_back(item.key(), item.value().grad());
  return out;
}
void clear_gradients(ModelImpl& model) {
  for (auto& parameter : model.parameters()) parameter.mutable_grad() = torch::Tensor();
}

/// Loss and gradients of one step by autograd, then by the dense step, on the same model.
struct Comparison {
  torch::Tensor autograd_loss, dense_loss;
  Gradients autograd, dense;
};
Comparison compare(ModelImpl& model, Objective& objective, const torch::Tensor& input,
                   const torch::Tensor& target, const std::string& precision = "fp32") {
  Comparison out;
  clear_gradients(model);
  {
    AutocastScope autocast(precision, torch::kCPU);  // as the trainer runs autograd
    out.autograd_loss = objective.loss(model, model.forward(input), Batch{target, {}});
    out.autograd_loss.backward();
  }
  out.autograd = gradients_of(model);
  std::string why;
  auto step = DenseStep::for_model(model, objective, precision, &why);
  EXPECT_TRUE(step) << why;
  clear_gradients(model);
  if (step) out.dense_loss = step->run(input, target);
  out.dense = gradients_of(model);
  return out;
}

void expect_identical(const Comparison& c) {
  ASSERT_TRUE(c.dense_loss.defined());
  EXPECT_TRUE(torch::equal(c.autograd_loss, c.dense_loss))
      << c.autograd_loss.item<double>() << " vs " << c.dense_loss.item<double>();
  ASSERT_EQ(c.autograd.size(), c.dense.size());
  for (size_t i = 0; i < c.autograd.size(); ++i) {
    SCOPED_TRACE(c.autograd[i].first);
    ASSERT_EQ(c.autograd[i].second.defined(), c.dense[i].second.defined());
    if (!c.autograd[i].second.defined()) continue;
    EXPECT_TRUE(c.autograd[i].second.sizes().equals(c.dense[i].second.sizes()));
    EXPECT_TRUE(torch::equal(c.autograd[i].second, c.dense[i].second))
        << "largest difference "
        << (c.autograd[i].second - c.dense[i].second).abs().max().item<double>();
  }
}

torch::Tensor images(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  return torch::rand({n, 1, 6, 6});
}

TEST(DenseStep, MlpWithMseGivesAutogradsGradientsBitForBit) {
  auto model = make_autoencoder("{name: mlp, hidden: [16, 8]}", "{name: mlp, hidden: [8, 16]}");
  torch::Tensor x = images(32, 1);
  expect_identical(compare(*model, *reconstruction("mse"), x, x));
}

TEST(DenseStep, FashionMnistSizedMlpGivesAutogradsGradientsBitForBit) {
  // Products large enough for OpenBLAS's blocked kernels and several threads.
  auto model = make_autoencoder("{name: mlp, hidden: [512, 256]}",
                                "{name: mlp, hidden: [256, 512]}", 28, 32);
  torch::Tensor x = torch::rand({128, 1, 28, 28});
  expect_identical(compare(*model, *reconstruction("mse"), x, x));
}

TEST(DenseStep, InBf16GivesTheGradientsOfAutogradUnderAutocastBitForBit) {
  // Fashion-MNIST sized (oneDNN's bfloat16 products), a small MLP with tanh and bce, and a
  // linear autoencoder without biases.
  auto large = make_autoencoder("{name: mlp, hidden: [512, 256]}",
                                "{name: mlp, hidden: [256, 512]}", 28, 32);
  torch::Tensor x = torch::rand({128, 1, 28, 28});
  Comparison c = compare(*large, *reconstruction("mse"), x, x, "bf16");
  expect_identical(c);
  // Not float32's gradients: the products did run in bfloat16.
  EXPECT_FALSE(torch::equal(compare(*large, *reconstruction("mse"), x, x).dense[0].second,
                            c.dense[0].second));
  auto tanh = make_autoencoder("{name: mlp, hidden: [12], activation: tanh}",
                               "{name: mlp, hidden: [12], activation: tanh}");
  torch::Tensor small = images(20, 5);
  expect_identical(compare(*tanh, *reconstruction("bce"), small, small, "bf16"));
  auto linear = make_autoencoder("{name: linear, bias: false}", "{name: linear, bias: false}");
  expect_identical(compare(*linear, *reconstruction("mse"), small, small, "bf16"));
}

TEST(DenseStep, BceTanhAndACorruptedInputGiveAutogradsGradientsBitForBit) {
  auto model = make_autoencoder("{name: mlp, hidden: [12], activation: tanh}",
                                "{name: mlp, hidden: [12], activation: tanh}");
  auto objective = reconstruction("bce");
  torch::Tensor x = images(20, 2);
  torch::Tensor noisy = (x + 0.1 * torch::randn_like(x)).clamp(0, 1);
  expect_identical(compare(*model, *objective, noisy, x));
}

TEST(DenseStep, LinearAutoencoderGivesAutogradsGradientsBitForBit) {
  torch::Tensor x = images(16, 3);
  for (const char* part : {"{name: linear}", "{name: linear, bias: false}"}) {
    SCOPED_TRACE(part);
    auto model = make_autoencoder(part, part);
    expect_identical(compare(*model, *reconstruction("mse"), x, x));
  }
}

TEST(DenseStep, FrozenLayersGetNoGradientAndBatchSizesMayChange) {
  // The decoder frozen: the encoder's gradients pass back through its layers.
  auto model = make_autoencoder("{name: mlp, hidden: [16]}", "{name: mlp, hidden: [16]}");
  auto objective = reconstruction("mse");
  for (auto& item : model->named_parameters())
    if (item.key().rfind("decoder.", 0) == 0) item.value().requires_grad_(false);
  auto step = DenseStep::for_model(*model, *objective, "fp32");
  ASSERT_TRUE(step);
  for (int64_t n : {32, 7, 32}) {  // a short last batch, then a full one again
    SCOPED_TRACE(n);
    torch::Tensor x = images(n, static_cast<uint64_t>(n));
    clear_gradients(*model);
    torch::Tensor loss = objective->loss(*model, model->forward(x), Batch{x, {}});
    loss.backward();
    Gradients autograd = gradients_of(*model);
    clear_gradients(*model);
    torch::Tensor dense_loss = step->run(x, x);
    Gradients dense = gradients_of(*model);
    EXPECT_TRUE(torch::equal(loss, dense_loss));
    for (size_t i = 0; i < autograd.size(); ++i) {
      SCOPED_TRACE(autograd[i].first);
      const bool frozen = autograd[i].first.rfind("decoder.", 0) == 0;
      EXPECT_EQ(dense[i].second.defined(), !frozen);
      ASSERT_EQ(autograd[i].second.defined(), dense[i].second.defined());
      if (!frozen) EXPECT_TRUE(torch::equal(autograd[i].second, dense[i].second));
    }
  }
}

/// The autoencoder under another type: the dense step declines it, so the trainer uses autograd.
class AutogradOnlyAutoencoder : public AutoencoderImpl {
 public:
  using AutoencoderImpl::AutoencoderImpl;
};

TEST(DenseStep, TrainerRunsAreThoseOfAutogradBitForBit) {
  const BuildContext context =
      context_for("{name: mlp, hidden: [16]}", "{name: mlp, hidden: [16]}");
  torch::Tensor x = images(100, 9);
  auto train = [&](std::shared_ptr<ModelImpl> model, const std::string& precision) {
    TrainerOptions options;
    options.precision = precision;
    options.epochs = 3;
    options.batch_size = 32;  // a short last batch of 4
    auto history = std::make_shared<HistoryRecorder>();
    auto objective = reconstruction("mse");
    torch::manual_seed(11);
    Trainer(options, {history}).fit(*model, *objective, {x, {}}, {x.slice(0, 0, 10), {}});
    return std::make_pair(history->history(), model->parameters());
  };
  for (const std::string precision : {"fp32", "bf16"}) {
    SCOPED_TRACE(precision);
    torch::manual_seed(4);
    auto dense = std::make_shared<AutoencoderImpl>(LatentOptions{3}, context);
    torch::manual_seed(4);
    auto autograd = std::make_shared<AutogradOnlyAutoencoder>(LatentOptions{3}, context);
    ASSERT_TRUE(DenseStep::for_model(*dense, *reconstruction("mse"), precision));
    ASSERT_FALSE(DenseStep::for_model(*autograd, *reconstruction("mse"), precision));
    auto [dense_history, dense_weights] = train(dense, precision);
    auto [autograd_history, autograd_weights] = train(autograd, precision);
    EXPECT_EQ(dense_history.at("train").at("loss").size(), 3u);
    EXPECT_EQ(dense_history.at("train"), autograd_history.at("train"));
    ASSERT_EQ(dense_weights.size(), autograd_weights.size());
    for (size_t i = 0; i < dense_weights.size(); ++i)
      EXPECT_TRUE(torch::equal(dense_weights[i], autograd_weights[i])) << i;
  }
}

TEST(DenseStep, DeclinesWhatItDoesNotCoverAndSaysWhy) {
  auto expect_declined = [](ModelImpl& model, const Objective& objective,
                            const std::string& precision, const std::string& reason) {
    std::string why;
    EXPECT_FALSE(DenseStep::for_model(model, objective, precision, &why));
    EXPECT_NE(why.find(reason), std::string::npos) << why;
  };
  auto mse = reconstruction("mse");
  auto mlp = make_autoencoder("{name: mlp, hidden: [8]}", "{name: mlp, hidden: [8]}");
  expect_declined(*mlp, *mse, "fp16", "precision");
  expect_declined(*mlp, *make_objective("cross_entropy"), "fp32", "not a reconstruction loss");
  auto leaky = make_autoencoder("{name: mlp, hidden: [8], activation: leaky_relu}",
                                "{name: mlp, hidden: [8]}");
  expect_declined(*leaky, *mse, "fp32", "leaky_relu");
  auto conv = make_autoencoder("{name: conv}", "{name: conv}", 28);
  expect_declined(*conv, *mse, "fp32", "not a chain of dense layers");
}

}  // namespace
}  // namespace aelab
