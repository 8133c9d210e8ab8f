// PCA against closed-form cases, and its cache.
#include "framework/baselines/pca.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/test_support.h"

namespace aelab {
namespace {

/// Samples a_i * e_i along orthonormal directions with known spreads, plus a mean.
torch::Tensor known_spectrum_data(torch::Tensor& directions, torch::Tensor& mean) {
  torch::manual_seed(3);
  const int64_t n = 400, dims = 6;
  directions = std::get<0>(torch::linalg_qr(torch::randn({dims, dims}, torch::kFloat64))).t();
  torch::Tensor scales = torch::tensor({5.0, 3.0, 2.0, 1.0, 0.5, 0.25}, torch::kFloat64);
  torch::Tensor codes = torch::randn({n, dims}, torch::kFloat64);
  codes = (codes - codes.mean(0)) / codes.std(0, /*unbiased=*/false);
  // Decorrelate the codes exactly, so the spectrum is exactly `scales`.
  auto qr = torch::linalg_qr(codes);
  codes = std::get<0>(qr) * std::sqrt(static_cast<double>(n)) * scales;
  mean = torch::linspace(0.1, 0.6, dims, torch::kFloat64);
  return (torch::matmul(codes, directions) + mean).to(torch::kFloat32);
}

TEST(Pca, RecoversKnownDirectionsAndResidualVariance) {
  torch::Tensor directions, mean;
  torch::Tensor x = known_spectrum_data(directions, mean);
  PcaBasis basis = fit_pca(x);
  EXPECT_TRUE(torch::allclose(basis.mean.to(torch::kFloat64), mean, 1e-5, 1e-5));
  torch::Tensor expected_singular =
      torch::tensor({5.0, 3.0, 2.0, 1.0, 0.5, 0.25}) * std::sqrt(400.0);
  EXPECT_TRUE(torch::allclose(basis.singular_values, expected_singular, 1e-3, 1e-3));
  // Each principal direction equals the generating one up to sign.
  torch::Tensor overlap = torch::matmul(basis.components.to(torch::kFloat64), directions.t()).abs();
  EXPECT_TRUE(torch::allclose(overlap.diagonal(), torch::ones(6, torch::kFloat64), 1e-4, 1e-4));
  // Mean squared residual per sample at k components = sum of the dropped variances.
  const std::vector<double> variances{25, 9, 4, 1, 0.25, 0.0625};
  for (int64_t k = 0; k <= 6; ++k) {
    double expected = 0;
    for (int64_t i = k; i < 6; ++i) expected += variances[i];
    double sse = (basis.reconstruct(x, k) - x).pow(2).sum(1).mean().item<double>();
    EXPECT_NEAR(sse, expected, 1e-3 * (1 + expected)) << "k=" << k;
  }
}

TEST(Pca, WideDataTakesTheSvdAndAgreesWithTheScatterMatrix) {
  torch::manual_seed(5);
  torch::Tensor wide = torch::rand({12, 40});  // more features than samples: the SVD path
  PcaBasis basis = fit_pca(wide);
  // 12 centred samples span 11 directions: 11 components reconstruct them exactly.
  EXPECT_LT((basis.reconstruct(wide, 11) - wide).abs().max().item<double>(), 1e-5);
  // The same spectrum from the scatter-matrix path on tall data holding these samples.
  torch::Tensor tall = torch::cat({wide, wide, wide, wide});
  PcaBasis from_tall = fit_pca(tall);
  EXPECT_TRUE(torch::allclose(from_tall.singular_values.slice(0, 0, 11),
                              basis.singular_values.slice(0, 0, 11) * 2.0, 1e-4, 1e-4));
  for (const PcaBasis* fitted : {&basis, &from_tall}) {
    torch::Tensor rows = fitted->components.slice(0, 0, 11);
    torch::Tensor largest = rows.gather(1, rows.abs().argmax(1, true));
    EXPECT_TRUE((largest > 0).all().item<bool>()) << "components are signed by their largest entry";
  }
  EXPECT_TRUE(torch::allclose(from_tall.components.slice(0, 0, 11),
                              basis.components.slice(0, 0, 11), 1e-3, 1e-3));
}

TEST(Pca, ScatterMatrixOverRowChunksAndColumnBlocksMatchesTheSvd) {
  // Rows past one chunk of 4096 and not a multiple of it; odd and single feature counts.
  torch::manual_seed(11);
  for (int64_t features : {1, 2, 7}) {
    torch::Tensor x = torch::rand({5000, features}) * torch::linspace(1, 3, features);
    PcaBasis basis = fit_pca(x);
    torch::Tensor x64 = x.to(torch::kFloat64);
    torch::Tensor centred = x64 - x64.mean(0);
    auto [u, s, vh] = torch::linalg_svd(centred, /*full_matrices=*/false);
    EXPECT_TRUE(torch::allclose(basis.mean.to(torch::kFloat64), x64.mean(0), 1e-6, 1e-6));
    EXPECT_TRUE(torch::allclose(basis.singular_values.to(torch::kFloat64), s, 1e-5, 1e-5))
        << features << " features";
    torch::Tensor overlap = torch::matmul(basis.components.to(torch::kFloat64), vh.t()).abs();
    EXPECT_TRUE(
        torch::allclose(overlap.diagonal(), torch::ones(features, torch::kFloat64), 1e-4, 1e-4))
        << features << " features";
  }
}

TEST(Pca, LeavesItsInputUntouched) {
  torch::Tensor x = torch::rand({50, 4}, torch::kFloat64);
  torch::Tensor copy = x.clone();
  fit_pca(x);
  EXPECT_TRUE(torch::equal(x, copy));
}

TEST(Pca, CacheReturnsTheSameBasis) {
  testing::ScratchDir dir;
  torch::Tensor directions, mean;
  torch::Tensor x = known_spectrum_data(directions, mean);
  std::string cache = dir.file("cache/pca.h5");
  PcaBasis fitted = load_or_fit_pca(x, cache);
  ASSERT_TRUE(std::filesystem::exists(cache));
  PcaBasis cached = load_or_fit_pca(torch::zeros_like(x), cache);  // must not refit
  EXPECT_TRUE(torch::equal(fitted.components, cached.components));
  EXPECT_TRUE(torch::equal(fitted.mean, cached.mean));
}

TEST(Pca, ADamagedCacheIsFittedAgainAndReplaced) {
  testing::ScratchDir dir;
  torch::Tensor directions, mean;
  torch::Tensor x = known_spectrum_data(directions, mean);
  const std::string cache = dir.write("cache/pca.h5", "half an HDF5 file");
  std::string damaged;
  EXPECT_FALSE(load_cached_pca(cache, x.size(1), &damaged));
  EXPECT_EQ(damaged, "not a readable HDF5 file");
  PcaBasis fitted = load_or_fit_pca(x, cache);
  auto replaced = load_cached_pca(cache, x.size(1));
  ASSERT_TRUE(replaced);
  EXPECT_TRUE(torch::equal(fitted.components, replaced->components));
  // A basis of other samples (another number of features) is not this dataset's.
  EXPECT_FALSE(load_cached_pca(cache, x.size(1) + 1, &damaged));
  EXPECT_EQ(damaged, "not a PCA cache for this dataset");
}

}  // namespace
}  // namespace aelab
