// The segmenter and the autoencoder with skip connections: class score maps the size of the input,
// with and without skip connections (whose projections get gradients too), saved weights reloading
// to identical scores, and an encoder without stages refused when skips are asked for.
#include <gtest/gtest.h>

#include "framework/core/error.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/model_store.h"
#include "framework/experiment/run_inputs.h"

namespace aelab {
namespace {

ConfigNode segmenter_config(bool skips, const std::string& encoder) {
  return parse_yaml("seed: 0\nmodel: {name: segmenter, latent_dim: 6, num_classes: 5, skips: " +
                        std::string(skips ? "true" : "false") + "}\nencoder: {name: " + encoder +
                        ", channels: [4, 8], hidden: [16]}\n"
                        "decoder: {name: conv, channels: [8, 4], hidden: [16], output: sigmoid}\n",
                    "test");
}

TEST(Segmenter, ScoreMapsGradientsAndReloadWithAndWithoutSkips) {
  for (bool skips : {true, false}) {
    auto model = build_model(segmenter_config(skips, "conv"), {3, 12, 12}, nullptr);
    torch::manual_seed(0);
    torch::Tensor x = torch::rand({2, 3, 12, 12});
    torch::Tensor logits = model->forward(x).at("logits");
    EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{2, 5, 12, 12}));
    EXPECT_LT(logits.min().item<double>(), 0.0);  // scores, not the decoder's sigmoid
    logits.pow(2).sum().backward();
    bool projections = false;
    for (const auto& p : model->named_parameters()) {
      EXPECT_TRUE(p.value().grad().defined() && p.value().grad().abs().sum().item<double>() > 0)
          << p.key();
      projections |= p.key().find("decoder.skip") != std::string::npos;
    }
    EXPECT_EQ(projections, skips);
    auto reloaded = build_model_for_loading(segmenter_config(skips, "conv"), {3, 12, 12});
    load_model_state(*reloaded, save_model_state(*model), {}, /*require_all=*/true, "test");
    model->eval();
    reloaded->eval();
    EXPECT_TRUE(model->forward(x).at("logits").equal(reloaded->forward(x).at("logits")));
  }
  EXPECT_THROW(build_model(segmenter_config(true, "mlp"), {3, 12, 12}, nullptr), ConfigError);
}

TEST(AutoencoderWithSkips, ReconstructsThroughItsSkipConnections) {
  ConfigNode config = parse_yaml(
      "seed: 0\nmodel: {name: ae, latent_dim: 4}\n"
      "encoder: {name: conv, channels: [4, 8], hidden: [16]}\n"
      "decoder: {name: conv, channels: [8, 4], hidden: [16], skips: true}\n",
      "test");
  auto model = build_model(config, {3, 12, 12}, nullptr);
  torch::Tensor x = torch::rand({2, 3, 12, 12});
  torch::Tensor reconstruction = model->forward(x).at("reconstruction");
  EXPECT_EQ(reconstruction.sizes(), x.sizes());
  reconstruction.pow(2).sum().backward();
  bool projections = false;
  for (const auto& p : model->named_parameters())
    projections |= p.key().find("decoder.skip") != std::string::npos &&
                   p.value().grad().abs().sum().item<double>() > 0;
  EXPECT_TRUE(projections);
  model->eval();
  EXPECT_TRUE(
      reconstructor_of(*model).reconstruct(x).equal(model->forward(x).at("reconstruction")));
  config.find("encoder")->set("name", ConfigNode::string("mlp"));
  EXPECT_THROW(build_model(config, {3, 12, 12}, nullptr), ConfigError);
}

}  // namespace
}  // namespace aelab
