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
    dir_.write("bundled.yaml",
               "defaults:\n  - model: mlp_ae\n  - encoder: mlp\n  - decoder: ${encoder}\n"
               "  - bundle: big\n  - _self_\nname: demo\n");
    dir_.write("bundle/big.yaml", "defaults:\n  - override /model: conv_ae\n");
    dir_.write("bundle/loop_a.yaml", "defaults:\n  - override /bundle: loop_b\n");
    dir_.write("bundle/loop_b.yaml", "defaults:\n  - override /bundle: loop_a\n");
    dir_.write("prior/normal.yaml", "name: normal\n");
    dir_.write("prior/mog.yaml", "name: mog\n");
    source_ = std::make_unique<ConfigSource>(dir_.path());
  }

  Composition compose_with(const std::vector<std::string>& texts,
                           const std::string& primary = "primary.yaml") {
    std::vector<Override> overrides;
    for (const auto& text : texts) overrides.push_back(parse_override(text));
    return compose(*source_, dir_.file(primary), overrides);
  }

  std::string error_of(const std::vector<std::string>& texts,
                       const std::string& primary = "primary.yaml") {
    return testing::message_of<ConfigError>([&] { compose_with(texts, primary); });
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
  // bundle/big overrides the model to conv_ae, whose own list then chooses the encoder.
  c = compose_with({}, "bundled.yaml");
  EXPECT_EQ(c.choices.at("model"), "conv_ae");
  EXPECT_EQ(c.choices.at("encoder"), "conv");
  EXPECT_EQ(c.choices.at("decoder"), "conv");
  EXPECT_EQ(compose_with({"model=linear_ae"}, "bundled.yaml").choices.at("encoder"), "linear");
}

TEST_F(GroupOptionDefaults, APrimaryConfigsOwnChoicesBeatAPresets) {
  dir_.write("pinned.yaml",
             "defaults:\n  - model: conv_ae\n  - encoder: mlp\n  - decoder: ${encoder}\n"
             "  - override /encoder: linear\n  - _self_\nname: pinned\nprior:\n  k: 20\n");
  EXPECT_EQ(compose_with({}, "pinned.yaml").choices.at("encoder"), "linear");
  // A group a preset adds comes before the primary's own keys, which still win.
  Composition c = compose_with({"model=vae"}, "pinned.yaml");
  EXPECT_EQ(c.config.find("prior.name")->as_string(), "normal");
  EXPECT_EQ(c.config.find("prior.k")->as_int(), 20);
}

TEST_F(GroupOptionDefaults, APresetAskedForThatThePrimaryWouldUndoIsAnError) {
  dir_.write("pinned.yaml",
             "defaults:\n  - model: conv_ae\n  - encoder: mlp\n  - decoder: ${encoder}\n"
             "  - override /encoder: conv\n  - _self_\nname: pinned\n");
  // model=mlp_ae's encoder is mlp, but the primary config sets conv: the user says which.
  EXPECT_EQ(error_of({"model=mlp_ae"}, "pinned.yaml"),
            "override 'model=mlp_ae': model=mlp_ae chooses encoder=mlp, but " +
                dir_.file("pinned.yaml") +
                ":5:24 sets encoder=conv; add encoder=mlp (or encoder=conv) to say which");
  EXPECT_EQ(compose_with({"model=mlp_ae", "encoder=mlp"}, "pinned.yaml").choices.at("encoder"),
            "mlp");
  EXPECT_EQ(compose_with({"model=linear_ae", "encoder=conv"}, "pinned.yaml").choices.at("encoder"),
            "conv");
  // A preset that agrees with the primary, or one the primary itself names, is no conflict.
  EXPECT_EQ(compose_with({"model=conv_ae"}, "pinned.yaml").choices.at("encoder"), "conv");
  EXPECT_EQ(compose_with({}, "pinned.yaml").choices.at("encoder"), "conv");
}

TEST_F(GroupOptionDefaults, MistakesNameTheEntry) {
  dir_.write("model/relative.yaml", "defaults:\n  - override encoder: conv\nname: ae\n");
  EXPECT_EQ(error_of({"model=relative"}),
            dir_.file("model/relative.yaml") +
                ":2:5: defaults: 'encoder': write the group with a leading slash (/encoder); "
                "group paths relative to a group option are not supported");
  dir_.write("model/twice.yaml", "defaults:\n  - /encoder: conv\nname: ae\n");
  EXPECT_EQ(error_of({"model=twice"}),
            dir_.file("model/twice.yaml") +
                ":2:15: defaults: encoder is already chosen (mlp); write 'override /encoder: "
                "conv' to change it");
  dir_.write("model/orphan.yaml", "defaults:\n  - override /prior: mog\nname: ae\n");
  EXPECT_EQ(error_of({"model=orphan"}),
            dir_.file("model/orphan.yaml") +
                ":2:22: defaults: 'override /prior' has no choice of group 'prior' to override "
                "(add '- prior: OPTION' to the primary config)");
  dir_.write("model/typo.yaml", "defaults:\n  - override /encoder: cnov\nname: ae\n");
  EXPECT_NE(error_of({"model=typo"})
                .find("encoder: no option 'cnov' in group 'encoder' (did "
                      "you mean 'conv'?"),
            std::string::npos)
      << error_of({"model=typo"});
  dir_.write("looped.yaml", "defaults:\n  - bundle: loop_a\nname: x\n");
  EXPECT_EQ(error_of({}, "looped.yaml"),
            "defaults lists of group options keep changing each other's choices (a cycle?)");
}

}  // namespace
}  // namespace aelab
