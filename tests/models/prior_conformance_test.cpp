// Conformance suite over every registered prior (shapes, gradients, options through YAML,
// save/load), the VAE built with each of them, and the density checks each prior must pass.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "framework/core/yaml_io.h"
#include "framework/models/encoder.h"
#include "framework/models/model.h"
#include "framework/models/variational_model.h"
#include "tests/models/plugin_test_name.h"

namespace aelab {
namespace {

constexpr int64_t kPriorLatent = 3;
const std::vector<int64_t> kPriorInputShape{1, 6, 6};

/// A small MLP encoder producing mean and log-variance, standing in for a VAE's encoder.
struct PriorFixture {
  PriorFixture() {
    torch::manual_seed(0);
    BuildContext build;
    build.input_shape = kPriorInputShape;
    build.latent_dim = 2 * kPriorLatent;
    encoder = make_encoder(encoder_registry().at("mlp").info.defaults(), build);
    context.latent_dim = kPriorLatent;
    context.input_shape = kPriorInputShape;
    context.encode = [this](const torch::Tensor& x) {
      auto halves = encoder->forward(x).chunk(2, 1);
      return Posterior{halves[0], halves[1]};
    };
  }
  /// The prior `name` with its defaults, or with `components` mixture components.
  std::shared_ptr<PriorImpl> make(const std::string& name, int64_t components = 0) {
    ConfigNode section = prior_registry().at(name).info.defaults();
    if (components > 0) section.set("components", ConfigNode::integer(components));
    return prior_registry().at(name).make(section, context);
  }
  std::shared_ptr<EncoderImpl> encoder;
  PriorContext context;
};

class PriorConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(PriorConformance, ShapesGradientsOptionsAndSaveLoad) {
  PriorFixture fixture;
  auto prior = fixture.make(GetParam());
  torch::Tensor z = torch::randn({7, kPriorLatent});
  torch::Tensor log_prob = prior->log_prob(z);
  EXPECT_EQ(log_prob.sizes(), (std::vector<int64_t>{7}));
  EXPECT_TRUE(torch::isfinite(log_prob).all().item<bool>());
  EXPECT_EQ(prior->sample(5, torch::kCPU).sizes(), (std::vector<int64_t>{5, kPriorLatent}));
  Posterior q{torch::randn({7, kPriorLatent}), torch::randn({7, kPriorLatent}) * 0.1};
  EXPECT_EQ(prior->kl(q, reparameterize(q)).sizes(), (std::vector<int64_t>{7}));

  ASSERT_EQ(log_prob.requires_grad(), !prior->parameters().empty()) << GetParam();
  if (log_prob.requires_grad()) log_prob.sum().backward();
  for (const auto& parameter : prior->named_parameters()) {
    ASSERT_TRUE(parameter.value().grad().defined()) << GetParam() << ": " << parameter.key();
    EXPECT_GT(parameter.value().grad().abs().sum().item<double>(), 0)
        << GetParam() << ": " << parameter.key() << " has a zero gradient";
  }

  ConfigNode defaults = prior_registry().at(GetParam()).info.defaults();
  EXPECT_EQ(
      prior_registry().at(GetParam()).info.normalize(parse_yaml(to_yaml(defaults), "rt"), "prior"),
      defaults);

  torch::manual_seed(5);
  auto copy = fixture.make(GetParam());
  std::stringstream stream;
  torch::serialize::OutputArchive out;
  prior->save(out);
  out.save_to(stream);
  torch::serialize::InputArchive in;
  in.load_from(stream);
  copy->load(in);
  EXPECT_TRUE(torch::equal(prior->log_prob(z), copy->log_prob(z)));
}

/// The VAE with this prior: every parameter (encoder, decoder, prior) learns from the loss.
TEST_P(PriorConformance, VaeWithThisPriorTrainsEveryParameter) {
  BuildContext context;
  context.input_shape = kPriorInputShape;
  ConfigNode decoder = ConfigNode::map();
  decoder.set("name", ConfigNode::string("mlp"));
  decoder.set("output", ConfigNode::string("sigmoid"));
  context.config = ConfigNode::map();
  context.config.set("encoder", encoder_registry().at("mlp").info.defaults());
  context.config.set("decoder", decoder);
  context.config.set("prior", prior_registry().at(GetParam()).info.defaults());
  for (const char* likelihood : {"bernoulli", "gaussian"}) {
    ConfigNode section = model_registry().at("vae").info.defaults();
    section.set("latent_dim", ConfigNode::integer(kPriorLatent));
    section.set("likelihood", ConfigNode::string(likelihood));
    auto model = model_registry().at("vae").make(section, context);
    torch::manual_seed(3);
    torch::Tensor x = torch::rand({6, 1, 6, 6});
    auto& vae = dynamic_cast<VariationalModel&>(*model);
    torch::Tensor loss = vae.negative_elbo(model->forward(x), x);
    ASSERT_TRUE(std::isfinite(loss.item<double>())) << GetParam() << " " << likelihood;
    loss.backward();
    for (const auto& parameter : model->named_parameters()) {
      ASSERT_TRUE(parameter.value().grad().defined())
          << GetParam() << " " << likelihood << ": " << parameter.key();
      EXPECT_GT(parameter.value().grad().abs().sum().item<double>(), 0)
          << GetParam() << " " << likelihood << ": " << parameter.key();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllPriors, PriorConformance, ::testing::ValuesIn(prior_registry().names()),
                         testing::plugin_test_name);

TEST(Priors, RegistryHoldsTheExpectedPriors) {
  for (const char* name : {"normal", "mog", "vamp"})
    EXPECT_TRUE(prior_registry().contains(name)) << name;
  EXPECT_TRUE(model_registry().contains("vae"));
}

TEST(Priors, PairwiseGaussianDensityMatchesTheDirectOne) {
  torch::manual_seed(1);
  torch::Tensor z = torch::randn({4, 3}), means = torch::randn({5, 3}),
                logvars = torch::randn({5, 3});
  torch::Tensor direct = log_normal_diag(z.unsqueeze(1), means, logvars);
  EXPECT_TRUE(torch::allclose(log_normal_pairwise(z, means, logvars), direct, 1e-5, 1e-5));
}

TEST(Priors, StandardNormalAnalyticKlMatchesItsMonteCarloEstimate) {
  PriorFixture fixture;
  auto prior = fixture.make("normal");
  ASSERT_TRUE(prior->analytic_kl());
  Posterior q{torch::tensor({{0.5, -1.0, 0.2}}, torch::kFloat64),
              torch::tensor({{-0.3, 0.4, -1.2}}, torch::kFloat64)};
  const int64_t draws = 200000;
  Posterior many{q.mean.expand({draws, kPriorLatent}), q.logvar.expand({draws, kPriorLatent})};
  torch::manual_seed(2);
  double sampled = prior->PriorImpl::kl(many, reparameterize(many)).mean().item<double>();
  double analytic = prior->kl(q, q.mean).item<double>();
  EXPECT_NEAR(sampled, analytic, 0.01);
}

TEST(Priors, OneComponentMixtureAtTheOriginIsTheStandardNormal) {
  PriorFixture fixture;
  auto mixture = fixture.make("mog", /*components=*/1);
  torch::NoGradGuard no_grad;
  for (auto& parameter : mixture->named_parameters()) parameter.value().zero_();
  torch::Tensor z = torch::randn({6, kPriorLatent});
  EXPECT_TRUE(torch::allclose(mixture->log_prob(z), fixture.make("normal")->log_prob(z)));
}

TEST(Priors, VampPriorIsTheEncoderPosteriorAveragedOverPseudoInputs) {
  PriorFixture fixture;
  auto vamp = fixture.make("vamp", /*components=*/4);
  torch::NoGradGuard no_grad;
  torch::Tensor pseudo = vamp->named_parameters()["pseudo_inputs"];
  Posterior mixture = fixture.context.encode(pseudo.clamp(0, 1));
  torch::Tensor z = torch::randn({3, kPriorLatent});
  torch::Tensor expected = torch::zeros({3});
  for (int64_t k = 0; k < 4; ++k)
    expected += log_normal_diag(z, mixture.mean[k].expand({3, kPriorLatent}),
                                mixture.logvar[k].expand({3, kPriorLatent}))
                    .exp();
  EXPECT_TRUE(torch::allclose(vamp->log_prob(z), (expected / 4).log(), 1e-4, 1e-4));
}

TEST(Priors, VampPriorWithoutAnEncoderIsAConfigError) {
  PriorContext context;
  context.latent_dim = 2;
  context.input_shape = kPriorInputShape;
  EXPECT_THROW(
      prior_registry().at("vamp").make(prior_registry().at("vamp").info.defaults(), context),
      ConfigError);
}

}  // namespace
}  // namespace aelab
