// The parabola generator: the statistics its options promise, seeded and independent of `seed`.
#include <gtest/gtest.h>

#include "framework/core/config_node.h"
#include "framework/core/yaml_io.h"
#include "framework/data/dataset.h"

namespace aelab {
namespace {

DataSplits parabola(const std::string& options) {
  ConfigNode section = parse_yaml("name: parabola\n" + options, "data.yaml");
  return dataset_registry().at("parabola", "data.name").make(section, DataContext{})->load();
}

TEST(Parabola, PointsFollowTheCurveWithTheGivenNoise) {
  DataSplits data = parabola("train_size: 20000\ntest_size: 500\nnoise_std: 0.05\n");
  EXPECT_EQ(data.train_x.sizes(), (std::vector<int64_t>{18000, 2}));
  EXPECT_EQ(data.val_x.size(0), 2000);
  EXPECT_EQ(data.test_x.sizes(), (std::vector<int64_t>{500, 2}));
  EXPECT_EQ(data.sample_shape(), (std::vector<int64_t>{2}));
  torch::Tensor x = data.train_x.select(1, 0).to(torch::kFloat64);
  torch::Tensor residual = data.train_x.select(1, 1).to(torch::kFloat64) - x * x;
  EXPECT_NEAR(x.mean().item<double>(), 0.0, 0.02);
  EXPECT_NEAR(x.var().item<double>(), 1.0 / 3.0, 0.01);  // uniform on [-1, 1]
  EXPECT_GE(x.min().item<double>(), -1.0);
  EXPECT_LE(x.max().item<double>(), 1.0);
  EXPECT_NEAR(residual.mean().item<double>(), 0.0, 0.002);
  EXPECT_NEAR(residual.std().item<double>(), 0.05, 0.002);
  EXPECT_TRUE(data.train_y.eq(0).all().item<bool>());
  EXPECT_FALSE(data.has_classes());  // one label: nothing for anomaly detection or transfer
}

TEST(Parabola, SeededAndConfigurable) {
  DataSplits a = parabola("train_size: 100\ntest_size: 10\n");
  DataSplits b = parabola("train_size: 100\ntest_size: 10\n");
  DataSplits c = parabola("train_size: 100\ntest_size: 10\ngenerator_seed: 1\n");
  EXPECT_TRUE(a.train_x.equal(b.train_x));
  EXPECT_TRUE(a.test_x.equal(b.test_x));
  EXPECT_FALSE(a.train_x.equal(c.train_x));
  DataSplits shifted = parabola("train_size: 1000\nlow: 2\nhigh: 3\nnoise_std: 0\n");
  torch::Tensor x = shifted.train_x.select(1, 0);
  EXPECT_GE(x.min().item<float>(), 2.0f);
  EXPECT_TRUE(shifted.train_x.select(1, 1).allclose(x * x));
  EXPECT_THROW(parabola("low: 1\nhigh: 1\n"), ConfigError);
}

}  // namespace
}  // namespace aelab
