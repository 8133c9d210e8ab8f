// Likelihood metrics on a model whose log-likelihood is known in closed form: z ~ N(0, 1),
// x | z ~ N(z, 1), so p(x) = N(0, 2) and the exact posterior is N(x/2, 1/2).
#include "framework/metrics/likelihood_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

namespace aelab {
namespace {

class LinearGaussianModel : public VariationalModel {
 public:
  /// With `exact_posterior` q(z|x) is the true posterior; otherwise q is the prior N(0, 1).
  explicit LinearGaussianModel(bool exact_posterior) : exact_(exact_posterior) {
    PriorContext context;
    context.latent_dim = 1;
    context.input_shape = {1, 1, 1};
    prior_ =
        prior_registry().at("normal").make(prior_registry().at("normal").info.defaults(), context);
  }
  Posterior posterior(const torch::Tensor& batch) override {
    torch::Tensor x = batch.flatten(1);
    if (exact_) return {x / 2, torch::full_like(x, std::log(0.5))};
    return {torch::zeros_like(x), torch::zeros_like(x)};
  }
  torch::Tensor log_likelihood(const torch::Tensor& batch, const torch::Tensor& codes) override {
    return log_normal_diag(batch.flatten(1), codes, torch::zeros_like(codes));
  }
  PriorImpl& prior() override { return *prior_; }
  torch::Tensor negative_elbo(const ModelOutputs& outputs, const torch::Tensor& target) override {
    Posterior q{outputs.at("mean"), outputs.at("logvar")};
    return (-log_likelihood(target, outputs.at("code")) + prior_->kl(q, outputs.at("code"))).mean();
  }
  torch::Tensor encode(const torch::Tensor& batch) override { return posterior(batch).mean; }
  torch::Tensor decode(const torch::Tensor& codes) override { return codes.view({-1, 1, 1, 1}); }

 private:
  bool exact_;
  std::shared_ptr<PriorImpl> prior_;
};

/// Data drawn from p(x) = N(0, 2), and its exact mean negative log-likelihood.
struct Sample {
  torch::Tensor x;
  double nll;
};
Sample draw(int64_t count) {
  torch::manual_seed(11);
  torch::Tensor x = torch::randn({count, 1, 1, 1}, torch::kFloat64) * std::sqrt(2.0);
  torch::Tensor flat = x.flatten(1);
  double nll =
      -log_normal_diag(flat, torch::zeros_like(flat), torch::full_like(flat, std::log(2.0)))
           .mean()
           .item<double>();
  return {x, nll};
}

TEST(LikelihoodMetrics, ImportanceSamplingWithTheTruePosteriorIsExact) {
  LinearGaussianModel model(/*exact_posterior=*/true);
  Sample data = draw(500);
  EXPECT_NEAR(importance_sampled_nll(model, data.x, 7, 100), data.nll, 1e-9);
  // The ELBO is tight too (its one-sample terms still vary, so only on average).
  auto elbo = elbo_metrics(model, draw(20000).x, 1000);
  EXPECT_NEAR(-elbo.at("elbo"), draw(20000).nll, 0.02);
  EXPECT_NEAR(elbo.at("elbo"), -(elbo.at("recon") + elbo.at("kl")), 1e-9);
}

TEST(LikelihoodMetrics, ImportanceSamplingTightensTheElboOfAPoorPosterior) {
  LinearGaussianModel model(/*exact_posterior=*/false);
  Sample data = draw(2000);
  double negative_elbo = -elbo_metrics(model, data.x, 500).at("elbo");
  double one_sample = importance_sampled_nll(model, data.x, 1, 1000);
  double many_samples = importance_sampled_nll(model, data.x, 1000, 20000);
  EXPECT_GT(negative_elbo, data.nll + 0.5);  // the gap is 0.65 nats in expectation
  EXPECT_NEAR(one_sample, negative_elbo, 0.15);
  EXPECT_LT(many_samples, negative_elbo - 0.1);
  EXPECT_NEAR(many_samples, data.nll, 0.03);
}

TEST(LikelihoodMetrics, ActiveUnitsCountDimensionsWhosePosteriorMeanVaries) {
  Sample data = draw(1000);
  LinearGaussianModel informative(true), collapsed(false);
  EXPECT_EQ(active_units(informative, data.x, 300, 0.01), 1);
  EXPECT_EQ(active_units(collapsed, data.x, 300, 0.01), 0);
  EXPECT_EQ(active_units(informative, data.x, 300, 10.0), 0);
}

TEST(LikelihoodMetrics, PerImageScoresAverageToTheMetrics) {
  Sample data = draw(200);
  LinearGaussianModel exact(true);
  // With the true posterior every importance weight is p(x): each image's NLL is exact.
  torch::Tensor nll = per_image_nll(exact, data.x, 5, 1000);
  torch::Tensor flat = data.x.flatten(1);
  torch::Tensor expected =
      -log_normal_diag(flat, torch::zeros_like(flat), torch::full_like(flat, std::log(2.0)));
  ASSERT_EQ(nll.sizes(), (std::vector<int64_t>{200}));
  EXPECT_TRUE(nll.allclose(expected.view({200}), 1e-9, 1e-9));
  LinearGaussianModel poor(false);
  torch::manual_seed(3);
  torch::Tensor negative_elbo = per_image_negative_elbo(poor, data.x, 64);
  torch::manual_seed(3);
  double elbo = elbo_metrics(poor, data.x, 64).at("elbo");
  EXPECT_NEAR(negative_elbo.mean().item<double>(), -elbo, 1e-9);
  EXPECT_EQ(per_image_nll(exact, data.x.slice(0, 0, 0), 5, 1000).numel(), 0);
}

TEST(LikelihoodMetrics, AnEstimateTellsTheImagesItHasDone) {
  Sample data = draw(205);
  LinearGaussianModel exact(true);
  std::vector<std::pair<int64_t, int64_t>> told;
  const double nll = importance_sampled_nll(
      exact, data.x, 5, 250, [&](int64_t done, int64_t of) { told.emplace_back(done, of); });
  // 50 images a batch: after 50, 100, 150, 200 and the last 5, each of 205.
  const std::vector<std::pair<int64_t, int64_t>> expected{
      {50, 205}, {100, 205}, {150, 205}, {200, 205}, {205, 205}};
  EXPECT_EQ(told, expected);
  EXPECT_NEAR(nll, importance_sampled_nll(exact, data.x, 5, 250), 1e-6 * std::abs(nll));
}

}  // namespace
}  // namespace aelab
