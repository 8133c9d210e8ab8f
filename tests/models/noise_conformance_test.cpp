// Conformance suite over every registered noise model: shape, range, reproducibility, options
// through YAML, and that corruption changes the input (or, for `none`, does not).
#include <gtest/gtest.h>

#include "framework/core/yaml_io.h"
#include "framework/models/noise/noise_model.h"
#include "tests/models/plugin_test_name.h"

namespace aelab {
namespace {

class NoiseConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(NoiseConformance, ShapeRangeSeedAndOptions) {
  auto& entry = noise_registry().at(GetParam());
  ConfigNode defaults = entry.info.defaults();
  EXPECT_EQ(entry.info.normalize(parse_yaml(to_yaml(defaults), "roundtrip"), "noise"), defaults);
  auto noise = entry.make(defaults, {});
  torch::manual_seed(0);
  torch::Tensor clean = torch::rand({16, 3, 8, 8});  // colour: grayscale changes it
  torch::manual_seed(5);
  torch::Tensor first = noise->corrupt(clean);
  torch::manual_seed(5);
  torch::Tensor second = noise->corrupt(clean);
  EXPECT_EQ(first.sizes(), clean.sizes());
  EXPECT_TRUE(torch::equal(first, second)) << "same seed, different corruption";
  EXPECT_GE(first.min().item<float>(), 0.0f);
  EXPECT_LE(first.max().item<float>(), 1.0f);
  EXPECT_EQ(torch::equal(first, clean), noise->is_identity());
}
INSTANTIATE_TEST_SUITE_P(AllNoiseModels, NoiseConformance,
                         ::testing::ValuesIn(noise_registry().names()), testing::plugin_test_name);

TEST(NoiseModels, CorruptAsDocumented) {
  torch::manual_seed(1);
  torch::Tensor clean = torch::full({100, 1, 20, 20}, 0.5);
  auto make = [](const std::string& yaml) {
    ConfigNode section = parse_yaml(yaml, "test");
    return noise_registry().at(section.get("name")->as_string()).make(section, {});
  };
  torch::Tensor masked = make("name: masking\nfraction: 0.25\n")->corrupt(clean);
  EXPECT_NEAR((masked == 0).to(torch::kFloat).mean().item<float>(), 0.25, 0.01);
  torch::Tensor salted = make("name: salt_pepper\nfraction: 0.2\n")->corrupt(clean);
  EXPECT_NEAR((salted == 1).to(torch::kFloat).mean().item<float>(), 0.1, 0.01);
  EXPECT_NEAR((salted == 0).to(torch::kFloat).mean().item<float>(), 0.1, 0.01);
  torch::Tensor noisy = make("name: gaussian\nsigma: 0.1\n")->corrupt(clean);
  EXPECT_NEAR((noisy - clean).std().item<float>(), 0.1, 0.005);
  EXPECT_TRUE(noise_registry().contains("none"));
}

}  // namespace
}  // namespace aelab
