// Conformance suites over every registered encoder, decoder and model: output shapes, a
// gradient for every parameter, options that survive YAML, save/load fidelity, and dense chains
// that compute forward().
#include <gtest/gtest.h>

#include <sstream>

#include "framework/baselines/pca.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/experiment.h"
#include "framework/experiment/model_store.h"
#include "framework/models/activation.h"
#include "framework/models/decoder.h"
#include "framework/models/encoder.h"
#include "framework/models/model.h"
#include "framework/models/priors/prior.h"
#include "framework/sweep/launcher.h"
#include "framework/train/objective.h"
#include "tests/models/plugin_test_name.h"

namespace aelab {
namespace {

const std::vector<int64_t> kShape{1, 6, 6};
constexpr int64_t kLatent = 3;

BuildContext context_for_tests() {
  static PcaBasis basis = fit_pca(torch::rand({40, 1, 6, 6}));
  BuildContext context;
  context.input_shape = kShape;
  context.latent_dim = kLatent;
  context.config = ConfigNode::map();
  context.config.set("encoder", encoder_registry().at("mlp").info.defaults());
  context.config.set("decoder", decoder_registry().at("mlp").info.defaults());
  context.config.set("prior", prior_registry().at("normal").info.defaults());
  context.pca_basis = []() -> const PcaBasis& { return basis; };
  return context;
}

torch::Tensor batch() {
  torch::manual_seed(0);
  return torch::rand({5, 1, 6, 6});
}

void expect_every_parameter_gets_a_gradient(torch::nn::Module& module, const torch::Tensor& loss,
                                            const std::string& name) {
  loss.backward();
  for (const auto& parameter : module.named_parameters()) {
    ASSERT_TRUE(parameter.value().grad().defined())
        << name << ": " << parameter.key() << " has no gradient";
    EXPECT_GT(parameter.value().grad().abs().sum().item<double>(), 0)
        << name << ": " << parameter.key() << " has a zero gradient";
  }
}

/// Serializes a module's parameters and buffers and loads them into a fresh copy.
template <class Module>
void copy_state(Module& from, Module& to) {
  std::stringstream stream;
  torch::serialize::OutputArchive out;
  from.save(out);
  out.save_to(stream);
  torch::serialize::InputArchive in;
  in.load_from(stream);
  to.load(in);
}

/// A part that declares a dense chain (stacked training and the hand-written step train through
/// it) computes exactly its forward() with it; mlp and linear parts declare one.
template <class Part>
void expect_dense_chain_computes_forward(Part& part, const torch::Tensor& input,
                                         const std::string& name) {
  DenseChain chain = part.dense_chain();
  if (name == "mlp" || name == "linear") EXPECT_FALSE(chain.empty()) << name;
  if (chain.empty()) return;
  torch::Tensor x = input.flatten(1);
  for (DenseLayer& layer : chain) x = activate(layer.linear->forward(x), layer.activation);
  EXPECT_TRUE(torch::equal(x, part.forward(input).flatten(1))) << name;
}

template <class Product>
void expect_options_round_trip(Registry<Product, BuildContext>& registry, const std::string& name) {
  ConfigNode defaults = registry.at(name).info.defaults();
  ConfigNode reread = parse_yaml(to_yaml(defaults), "roundtrip");
  EXPECT_EQ(registry.at(name).info.normalize(reread, registry.kind()), defaults) << name;
}

class EncoderConformance : public ::testing::TestWithParam<std::string> {};
TEST_P(EncoderConformance, ShapesGradientsOptionsAndSaveLoad) {
  auto& registry = encoder_registry();
  ConfigNode section = registry.at(GetParam()).info.defaults();
  torch::manual_seed(1);
  auto encoder = registry.at(GetParam()).make(section, context_for_tests());
  torch::Tensor code = encoder->forward(batch());
  EXPECT_EQ(code.sizes(), (std::vector<int64_t>{5, kLatent}));
  expect_every_parameter_gets_a_gradient(*encoder, code.pow(2).sum(), GetParam());
  expect_dense_chain_computes_forward(*encoder, batch(), GetParam());
  expect_options_round_trip(registry, GetParam());
  torch::manual_seed(2);
  auto copy = registry.at(GetParam()).make(section, context_for_tests());
  copy_state(*encoder, *copy);
  encoder->eval();
  copy->eval();
  EXPECT_TRUE(torch::equal(encoder->forward(batch()), copy->forward(batch())));
}
INSTANTIATE_TEST_SUITE_P(AllEncoders, EncoderConformance,
                         ::testing::ValuesIn(encoder_registry().names()),
                         testing::plugin_test_name);

class DecoderConformance : public ::testing::TestWithParam<std::string> {};
TEST_P(DecoderConformance, ShapesGradientsOptionsAndSaveLoad) {
  auto& registry = decoder_registry();
  ConfigNode section = registry.at(GetParam()).info.defaults();
  auto decoder = registry.at(GetParam()).make(section, context_for_tests());
  torch::Tensor code = torch::randn({5, kLatent});
  torch::Tensor output = decoder->forward(code);
  EXPECT_EQ(output.sizes(), (std::vector<int64_t>{5, 1, 6, 6}));
  expect_every_parameter_gets_a_gradient(*decoder, output.pow(2).sum(), GetParam());
  expect_dense_chain_computes_forward(*decoder, code, GetParam());
  expect_options_round_trip(registry, GetParam());
  auto copy = registry.at(GetParam()).make(section, context_for_tests());
  copy_state(*decoder, *copy);
  EXPECT_TRUE(torch::equal(decoder->forward(code), copy->forward(code)));
}
INSTANTIATE_TEST_SUITE_P(AllDecoders, DecoderConformance,
                         ::testing::ValuesIn(decoder_registry().names()),
                         testing::plugin_test_name);

class ModelConformance : public ::testing::TestWithParam<std::string> {};
TEST_P(ModelConformance, ShapesGradientsOptionsAndSaveLoad) {
  auto& registry = model_registry();
  ConfigNode section = registry.at(GetParam()).info.defaults();
  section.set("latent_dim", ConfigNode::integer(kLatent));
  auto model = registry.at(GetParam()).make(section, context_for_tests());
  torch::Tensor x = batch();
  Reconstructor& reconstructor = reconstructor_of(*model);
  EXPECT_EQ(reconstructor.reconstruct(x).sizes(), x.sizes());
  ModelOutputs outputs = model->forward(x);
  EXPECT_EQ(outputs.at("reconstruction").sizes(), x.sizes());
  EXPECT_EQ(outputs.at("code").sizes(), (std::vector<int64_t>{5, kLatent}));
  auto objective = make_objective(
      model_declaration(GetParam()).traits.variational ? "negative_elbo" : "reconstruction");
  torch::Tensor loss = objective->loss(*model, outputs, Batch{x, {}});
  EXPECT_EQ(loss.dim(), 0);
  if (model->trainable()) {
    EXPECT_FALSE(model->parameters().empty());
    expect_every_parameter_gets_a_gradient(*model, loss, GetParam());
  }
  expect_options_round_trip(registry, GetParam());
  auto copy = registry.at(GetParam()).make(section, context_for_tests());
  copy_state(*model, *copy);
  model->eval();
  copy->eval();
  EXPECT_TRUE(
      torch::allclose(reconstructor.reconstruct(x), reconstructor_of(*copy).reconstruct(x)));
  // Saved weights reload into a model built for loading, to identical outputs.
  BuildContext loading = context_for_tests();
  loading.for_loading = true;
  loading.pca_basis = nullptr;
  auto reloaded = registry.at(GetParam()).make(section, loading);
  load_model_state(*reloaded, save_model_state(*model), {}, /*require_all=*/true, "test");
  reloaded->eval();
  EXPECT_TRUE(
      torch::equal(reconstructor.reconstruct(x), reconstructor_of(*reloaded).reconstruct(x)));
}
/// Every model that reconstructs its input: all but the segmenter
/// (tests/models/segmenter_test.cpp).
std::vector<std::string> reconstructing_models() {
  std::vector<std::string> names;
  for (const auto& name : model_registry().names())
    if (name != "segmenter") names.push_back(name);
  return names;
}
INSTANTIATE_TEST_SUITE_P(AllModels, ModelConformance, ::testing::ValuesIn(reconstructing_models()),
                         testing::plugin_test_name);

/// Every encoder and decoder works for MNIST-like and CIFAR-like inputs without per-dataset code.
TEST(EncodersAndDecoders, FitGreyAndColourImageShapes) {
  for (const std::vector<int64_t>& shape :
       {std::vector<int64_t>{1, 28, 28}, std::vector<int64_t>{3, 32, 32}}) {
    BuildContext context = context_for_tests();
    context.input_shape = shape;
    context.latent_dim = 8;
    std::vector<int64_t> batch_shape{2};
    batch_shape.insert(batch_shape.end(), shape.begin(), shape.end());
    torch::Tensor images = torch::rand(batch_shape);
    for (const auto& name : encoder_registry().names()) {
      auto encoder =
          encoder_registry().at(name).make(encoder_registry().at(name).info.defaults(), context);
      EXPECT_EQ(encoder->forward(images).sizes(), (std::vector<int64_t>{2, 8})) << name;
    }
    for (const auto& name : decoder_registry().names()) {
      auto decoder =
          decoder_registry().at(name).make(decoder_registry().at(name).info.defaults(), context);
      EXPECT_EQ(decoder->forward(torch::randn({2, 8})).sizes(), images.sizes()) << name;
    }
  }
}

TEST(Registries, HoldTheExpectedPlugins) {
  for (const char* name : {"linear", "mlp", "conv"}) {
    EXPECT_TRUE(encoder_registry().contains(name)) << name;
    EXPECT_TRUE(decoder_registry().contains(name)) << name;
  }
  EXPECT_EQ(model_registry().names(), (std::vector<std::string>{"ae", "pca", "segmenter", "vae"}));
  EXPECT_EQ(model_declaration("ae").sections, (std::vector<std::string>{"encoder", "decoder"}));
  EXPECT_EQ(model_declaration("pca").sections, std::vector<std::string>{});
  EXPECT_FALSE(model_declaration("pca").traits.trainable);
  EXPECT_EQ(model_declaration("vae").sections,
            (std::vector<std::string>{"encoder", "decoder", "prior"}));
  EXPECT_TRUE(model_declaration("vae").traits.variational);
  // A model that forgot declare_model would silently lose its sections.
  for (const auto& name : model_registry().names()) EXPECT_NO_THROW(model_declaration(name));
  for (const auto& name : experiment_registry().names())
    EXPECT_NO_THROW(experiment_declaration(name)) << name;
  EXPECT_EQ(experiment_registry().names(),
            (std::vector<std::string>{"anomaly", "reconstruction", "segmentation", "transfer"}));
  EXPECT_EQ(launcher_registry().names(), (std::vector<std::string>{"local", "slurm"}));
  EXPECT_THROW(model_declaration("nosuch"), Error);
  EXPECT_EQ(objective_registry().names(),
            (std::vector<std::string>{"cross_entropy", "negative_elbo", "pixel_cross_entropy",
                                      "reconstruction"}));
}

}  // namespace
}  // namespace aelab
