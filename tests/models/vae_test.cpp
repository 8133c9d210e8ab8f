// The VAE's own behaviour: KL warm-up, the likelihood/decoder check, and its latent space.
#include <gtest/gtest.h>

#include "framework/models/decoder.h"
#include "framework/models/encoder.h"
#include "framework/models/model.h"
#include "framework/models/variational_model.h"

namespace aelab {
namespace {

BuildContext vae_context(const std::string& decoder_name) {
  BuildContext context;
  context.input_shape = {1, 6, 6};
  context.config = ConfigNode::map();
  context.config.set("encoder", encoder_registry().at("mlp").info.defaults());
  context.config.set("decoder", decoder_registry().at(decoder_name).info.defaults());
  context.config.set("prior", prior_registry().at("normal").info.defaults());
  return context;
}

std::shared_ptr<ModelImpl> make_vae(ConfigNode section, const BuildContext& context) {
  return model_registry().at("vae").make(section, context);
}

TEST(Vae, KlWarmupRaisesTheKlWeightLinearlyToBeta) {
  ConfigNode section = model_registry().at("vae").info.defaults();
  section.set("latent_dim", ConfigNode::integer(2));
  section.set("beta", ConfigNode::real(2.0));
  section.set("kl_warmup_epochs", ConfigNode::integer(4));
  auto model = make_vae(section, vae_context("mlp"));
  auto& vae = dynamic_cast<VariationalModel&>(*model);
  torch::Tensor x = torch::rand({8, 1, 6, 6});
  auto loss_at = [&](int64_t epoch) {
    model->start_epoch(epoch, 10);
    torch::manual_seed(4);
    return vae.negative_elbo(model->forward(x), x).item<double>();
  };
  torch::manual_seed(4);
  Posterior q = vae.posterior(x);
  double kl = vae.prior().kl(q, reparameterize(q)).mean().item<double>();
  ASSERT_GT(kl, 0);
  EXPECT_NEAR(loss_at(4) - loss_at(1), (2.0 - 0.5) * kl, 1e-4);
  EXPECT_NEAR(loss_at(9) - loss_at(2), (2.0 - 1.0) * kl, 1e-4);
  EXPECT_DOUBLE_EQ(loss_at(12), loss_at(4));
}

TEST(Vae, BernoulliLikelihoodNeedsADecoderEndingInASigmoid) {
  ConfigNode section = model_registry().at("vae").info.defaults();
  EXPECT_THROW(make_vae(section, vae_context("linear")), ConfigError);
  section.set("likelihood", ConfigNode::string("gaussian"));
  EXPECT_NO_THROW(make_vae(section, vae_context("linear")));
}

TEST(Vae, EvaluationLikelihoodEqualsTheTrainingOneEvenWhenSaturated) {
  ConfigNode section = model_registry().at("vae").info.defaults();
  section.set("latent_dim", ConfigNode::integer(3));
  auto model = make_vae(section, vae_context("mlp"));
  auto& vae = dynamic_cast<VariationalModel&>(*model);
  torch::manual_seed(6);
  torch::Tensor x = torch::rand({4, 1, 6, 6});
  x[0].fill_(0);  // pixels at exactly 0 and 1, as in binarized data
  x[1].fill_(1);
  // Codes far out drive the decoder's sigmoid to exactly 0 or 1, where a log is clamped.
  torch::Tensor codes = torch::cat({torch::randn({4, 3}), 1e4 * torch::randn({4, 3})});
  torch::Tensor inputs = torch::cat({x, x});
  torch::Tensor training = vae.log_likelihood(inputs, codes).detach();  // gradients on
  torch::Tensor evaluation;
  {
    torch::NoGradGuard no_grad;
    evaluation = vae.log_likelihood(inputs, codes);
  }
  EXPECT_TRUE(torch::isfinite(evaluation).all().item<bool>()) << evaluation;
  EXPECT_TRUE(torch::allclose(training, evaluation, 1e-5, 1e-4)) << training << evaluation;
}

TEST(Vae, EvaluationLikelihoodInPlaceHasTheBitsOfTheOutOfPlaceFormula) {
  ConfigNode section = model_registry().at("vae").info.defaults();
  section.set("latent_dim", ConfigNode::integer(3));
  auto model = make_vae(section, vae_context("mlp"));
  auto& vae = dynamic_cast<VariationalModel&>(*model);
  torch::manual_seed(7);
  torch::Tensor x = torch::rand({64, 1, 6, 6});
  torch::Tensor codes = torch::cat({torch::randn({32, 3}), 30 * torch::randn({32, 3})});
  torch::NoGradGuard no_grad;
  torch::Tensor p = vae.decode(codes).flatten(1);
  torch::Tensor log_p = torch::log(p).clamp_min(-100);
  torch::Tensor log_not_p = torch::log1p(-p).clamp_min(-100);
  torch::Tensor expected = (x.flatten(1) * (log_p - log_not_p) + log_not_p).sum(1);
  EXPECT_TRUE(torch::equal(vae.log_likelihood(x, codes), expected));
}

TEST(Vae, ReconstructsThroughThePosteriorMean) {
  ConfigNode section = model_registry().at("vae").info.defaults();
  section.set("latent_dim", ConfigNode::integer(3));
  auto model = make_vae(section, vae_context("mlp"));
  auto& codec = dynamic_cast<LatentCodec&>(*model);
  torch::Tensor x = torch::rand({5, 1, 6, 6});
  EXPECT_EQ(codec.encode(x).sizes(), (std::vector<int64_t>{5, 3}));
  EXPECT_TRUE(torch::equal(reconstructor_of(*model).reconstruct(x), codec.decode(codec.encode(x))));
}

}  // namespace
}  // namespace aelab
