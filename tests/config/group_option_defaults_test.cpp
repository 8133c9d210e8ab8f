// Defaults lists in group options (Hydra): model presets that choose other groups, the command
// line beating them, and their errors.
#include <gtest/gtest.h>

#include "framework/config/composition.h"
#include "framework/core/error.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

class GroupOptionDefaults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("primary.yaml",
               "defaults:\n  - model: mlp_ae\n  - encoder: mlp\n  - decoder: ${encoder}\n"
               "  - _self_\nname: demo\n");
    for (const char* part : {"encoder", "decoder"})
      for (const char* family : {"mlp", "conv", "linear"})
        dir_.write(std::string(part) + "/" + family + ".yaml",
                   std::string("name: ") + family + "\n");
    for (const char* family : {"mlp", "conv", "linear"})
      dir_.write(std::string("model/") + family + "_ae.yaml",
                 std::string("defaults:\n  - override /encoder: ") + family +
                     "\n  - _self_\nname: ae\nlatent_dim: 4\n");
    dir_.write("model/vae.yaml", "defaults:\n  - /prior: normal\nname: vae\n");
    dir_.write("model/double.yaml", "defaults:\n  - override /model: conv_ae\nname: double\n");
    dir_.write("prior/normal.yaml", "name: normal\n");
    dir_.write("prior/mog.yaml", "name: mog\n");
    source_ = std::make_unique<ConfigSource>(dir_.path());
  }

  Composition compose_with(const std::vector<std::string>& texts) {
    std::vector<Override> overrides;
    for (const auto& text : texts) overrides.push_back(parse_override(text));
    return compose(*source_, dir_.file("primary.yaml"), overrides);
  }

  std::string error_of(const std::vector<std::string>& texts) {
    try {
      compose_with(texts);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "no error";
  }

  testing::ScratchDir dir_;
  std::unique_ptr<ConfigSource> source_;
};

TEST_F(GroupOptionDefaults, APresetChoosesTheEncoderAndTheDecoderFollows) {
  Composition c = compose_with({"model=conv_ae"});
  EXPECT_EQ(c.choices.at("model"), "conv_ae");
  EXPECT_EQ(c.choices.at("encoder"), "conv");
  EXPECT_EQ(c.choices.at("decoder"), "conv");
  EXPECT_EQ(c.config.find("encoder.name")->as_string(), "conv");
  EXPECT_EQ(c.config.find("model.name")->as_string(), "ae");
  EXPECT_EQ(c.config.find("model.defaults"), nullptr);
}

TEST_F(GroupOptionDefaults, TheCommandLineBeatsAPreset) {
  Composition c = compose_with({"model=linear_ae", "encoder=conv"});
  EXPECT_EQ(c.choices.at("encoder"), "conv");
  EXPECT_EQ(c.choices.at("decoder"), "conv");
  c = compose_with({"model=conv_ae", "decoder=mlp"});
  EXPECT_EQ(c.choices.at("encoder"), "conv");
  EXPECT_EQ(c.choices.at("decoder"), "mlp");
  c = compose_with({"model=vae", "prior=mog"});
  EXPECT_EQ(c.choices.at("prior"), "mog");
}

TEST_F(GroupOptionDefaults, AnOptionMayAddAGroupAndChooseOptionsWithListsOfTheirOwn) {
  Composition c = compose_with({"model=vae"});
  EXPECT_EQ(c.choices.at("prior"), "normal");
  EXPECT_EQ(c.config.find("prior.name")->as_string(), "normal");
  c = compose_with({"model=double"});  // double overrides model to conv_ae, whose list applies
  EXPECT_EQ(c.choices.at("model"), "conv_ae");
  EXPECT_EQ(c.choices.at("encoder"), "conv");
}

TEST_F(GroupOptionDefaults, MistakesNameTheEntry) {
  dir_.write("model/relative.yaml", "defaults:\n  - override encoder: conv\nname: ae\n");
  EXPECT_EQ(error_of({"model=relative"}),
            dir_.file("model/relative.yaml") +
                ":2:3: defaults: 'encoder': write the group with a leading slash (/encoder); "
                "group paths relative to a group option are not supported");
  dir_.write("model/twice.yaml", "defaults:\n  - /encoder: conv\nname: ae\n");
  EXPECT_EQ(error_of({"model=twice"}),
            dir_.file("model/twice.yaml") +
                ":2:14: defaults: encoder is already chosen (mlp); write 'override /encoder: "
                "conv' to change it");
  dir_.write("model/orphan.yaml", "defaults:\n  - override /prior: mog\nname: ae\n");
  EXPECT_EQ(error_of({"model=orphan"}),
            dir_.file("model/orphan.yaml") +
                ":2:23: defaults: 'override /prior' has no choice of group 'prior' to override "
                "(add '- prior: OPTION' to the primary config)");
  dir_.write("model/typo.yaml", "defaults:\n  - override /encoder: cnov\nname: ae\n");
  EXPECT_NE(error_of({"model=typo"}).find("encoder: no option 'cnov' in group 'encoder' (did "
                                          "you mean 'conv'?"),
            std::string::npos)
      << error_of({"model=typo"});
  dir_.write("model/loop_a.yaml", "defaults:\n  - override /model: loop_b\nname: a\n");
  dir_.write("model/loop_b.yaml", "defaults:\n  - override /model: loop_a\nname: b\n");
  EXPECT_NE(error_of({"model=loop_a"}).find("a cycle?"), std::string::npos);
}

}  // namespace
}  // namespace aelab
