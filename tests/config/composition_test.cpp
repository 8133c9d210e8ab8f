// Defaults-list composition, value overrides, interpolation and their error messages.
#include "framework/config/composition.h"

#include <gtest/gtest.h>

#include "framework/config/sweep_expansion.h"
#include "framework/core/error.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

class CompositionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("primary.yaml",
               "defaults:\n  - encoder: mlp\n  - trainer: default\n  - _self_\n"
               "name: demo\nseed: 0\nmodel:\n  latent_dim: 8\n  tag: ae_${model.latent_dim}\n"
               "trainer:\n  epochs: 3\n");
    dir_.write("encoder/mlp.yaml", "name: mlp\nhidden: [16, 8]\n");
    dir_.write("encoder/conv.yaml", "name: conv\nchannels: [4]\n");
    dir_.write("trainer/default.yaml", "epochs: 10\nlr: 1e-3\nwidth: ${model.latent_dim}\n");
    dir_.write("noise/gaussian.yaml", "sigma: 0.1\n");
    dir_.write("sweeps/child.yaml", "defaults:\n  - /primary\n  - _self_\nname: child\n");
    source_ = std::make_unique<ConfigSource>(dir_.path());
  }

  ConfigNode job(const std::vector<std::string>& texts,
                 const std::string& primary = "primary.yaml") {
    JobSpec spec;
    for (const auto& text : texts) spec.overrides.push_back(parse_override(text));
    return compose_job(*source_, dir_.file(primary), spec).config;
  }

  std::string error_of(const std::vector<std::string>& texts) {
    return testing::message_of<ConfigError>([&] { job(texts); });
  }

  /// The error of composing the primary config `name` written with `yaml`.
  std::string file_error_of(const std::string& name, const std::string& yaml) {
    dir_.write(name, yaml);
    return testing::message_of<ConfigError>([&] { job({}, name); });
  }

  testing::ScratchDir dir_;
  std::unique_ptr<ConfigSource> source_;
};

TEST_F(CompositionTest, DefaultsThenSelfInOrder) {
  ConfigNode config = job({});
  EXPECT_EQ(config.find("encoder.name")->as_string(), "mlp");
  EXPECT_EQ(config.find("trainer.epochs")->as_int(), 3);  // _self_ comes last
  EXPECT_DOUBLE_EQ(config.find("trainer.lr")->as_float(), 1e-3);
  EXPECT_EQ(config.get("defaults"), nullptr);
}

TEST_F(CompositionTest, PlusFillsANullKeyAndTakesListsAndMapsAsHydraDoes) {
  dir_.write("trainer/clip.yaml", "epochs: 10\nclip: null\nphases: [1]\nextra: {a: 1, b: 2}\n");
  ConfigNode config = job({"trainer=clip", "+trainer.clip=1.5", "+trainer.phases=[2,3]",
                           "+trainer.extra={b: 5, c: 6}"});
  EXPECT_DOUBLE_EQ(config.find("trainer.clip")->as_float(), 1.5);
  EXPECT_EQ(config.find("trainer.phases")->text(), "[2, 3]");
  EXPECT_EQ(config.find("trainer.extra.a")->as_int(), 1);  // a map merges into the map there
  EXPECT_EQ(config.find("trainer.extra.b")->as_int(), 5);
  EXPECT_EQ(config.find("trainer.extra.c")->as_int(), 6);
  // So do `key=` and `++key=`, as OmegaConf.update(merge=True) does for Hydra.
  config = job({"trainer=clip", "trainer.extra={c: 7}", "++trainer.extra={d: 8}"});
  EXPECT_EQ(config.find("trainer.extra")->text(), "{a: 1, b: 2, c: 7, d: 8}");
  EXPECT_EQ(error_of({"trainer=clip", "+trainer.epochs=2"}),
            "override '+trainer.epochs=2': trainer.epochs: already in the config (is '3'); to "
            "change it, write trainer.epochs=2");
}

TEST_F(CompositionTest, AGroupChoiceCanFollowAnotherGroupsChoice) {
  dir_.write("decoder/mlp.yaml", "name: mlp\n");
  dir_.write("decoder/conv.yaml", "name: conv\n");
  dir_.write("follow.yaml",
             "defaults:\n  - encoder: mlp\n  - decoder: ${encoder}\n  - _self_\nname: f\n");
  EXPECT_EQ(job({}, "follow.yaml").find("decoder.name")->as_string(), "mlp");
  EXPECT_EQ(job({"encoder=conv"}, "follow.yaml").find("decoder.name")->as_string(), "conv");
  EXPECT_EQ(job({"encoder=conv", "decoder=mlp"}, "follow.yaml").find("decoder.name")->as_string(),
            "mlp");
  dir_.write("encoder/lonely.yaml", "name: lonely\n");
  const std::string lonely =
      testing::message_of<ConfigError>([&] { job({"encoder=lonely"}, "follow.yaml"); });
  EXPECT_NE(lonely.find("decoder: ${encoder}: group 'decoder' has no option 'lonely' to follow "
                        "encoder=lonely; choose one with decoder=NAME (known: conv, mlp)"),
            std::string::npos)
      << lonely;
  const std::string unchosen =
      testing::message_of<ConfigError>([&] { job({"~encoder"}, "follow.yaml"); });
  EXPECT_EQ(unchosen.rfind("override '~encoder': leaves out the encoder, which the decoder "
                           "follows (decoder: ${encoder} at ",
                           0),
            0u)
      << unchosen;
  EXPECT_NE(unchosen.find("choose another (encoder=NAME), or for a model that reads neither "
                          "(model=pca) leave out the decoder too (~decoder)"),
            std::string::npos)
      << unchosen;
}

TEST_F(CompositionTest, SelfFirstLetsGroupsWin) {
  dir_.write("self_first.yaml",
             "defaults:\n  - _self_\n  - trainer: default\nmodel: {latent_dim: 2}\ntrainer:\n  "
             "epochs: 3\n");
  EXPECT_EQ(job({}, "self_first.yaml").find("trainer.epochs")->as_int(), 10);
}

TEST_F(CompositionTest, GroupOverridesChangeAddAndDelete) {
  EXPECT_EQ(job({"encoder=conv"}).find("encoder.name")->as_string(), "conv");
  EXPECT_EQ(job({"encoder=conv"}).find("encoder.hidden"), nullptr);
  EXPECT_DOUBLE_EQ(job({"+noise=gaussian"}).find("noise.sigma")->as_float(), 0.1);
  EXPECT_EQ(job({"~encoder"}).get("encoder"), nullptr);
}

TEST_F(CompositionTest, InterpolationFollowsOverrides) {
  ConfigNode config = job({"model.latent_dim=32"});
  EXPECT_EQ(config.find("model.tag")->as_string(), "ae_32");
  EXPECT_EQ(config.find("trainer.width")->kind(), ConfigNode::Kind::kInt);
  EXPECT_EQ(config.find("trainer.width")->as_int(), 32);
}

TEST_F(CompositionTest, ValueOverridesFollowHydraRules) {
  EXPECT_EQ(job({"+model.extra=[1,2]"}).find("model.extra")->items().size(), 2u);
  EXPECT_EQ(job({"++model.latent_dim=4"}).find("model.latent_dim")->as_int(), 4);
  EXPECT_EQ(job({"++brand.new=1"}).find("brand.new")->as_int(), 1);
  EXPECT_EQ(job({"~model.tag"}).find("model.tag"), nullptr);
  EXPECT_EQ(job({"seed=null"}).find("seed")->kind(), ConfigNode::Kind::kNull);
}

TEST_F(CompositionTest, NestedPrimaryConfigs) {
  ConfigNode config = job({}, "sweeps/child.yaml");
  EXPECT_EQ(config.get("name")->as_string(), "child");
  EXPECT_EQ(config.find("encoder.name")->as_string(), "mlp");
}

TEST_F(CompositionTest, ErrorsNameOverrideKeyAndFix) {
  EXPECT_EQ(error_of({"model.latent_dimm=4"}),
            "override 'model.latent_dimm=4': model.latent_dimm: no such key in the config (did "
            "you mean 'model.latent_dim'?)");
  // The section misspelled, or left out where one section has the key.
  EXPECT_EQ(error_of({"modle.latent_dim=4"}),
            "override 'modle.latent_dim=4': modle.latent_dim: no such key in the config (did "
            "you mean 'model.latent_dim'?)");
  EXPECT_EQ(error_of({"latent_dim=4"}),
            "override 'latent_dim=4': latent_dim: no such key in the config (did you mean "
            "'model.latent_dim'?)");
  // No near key: the section's keys, and how to add one. A long section name does not make
  // 'model.zzz' a typo of 'model.tag'.
  EXPECT_EQ(error_of({"model.zzz=4"}),
            "override 'model.zzz=4': model.zzz: no such key in the config (model has latent_dim, "
            "tag); to add a key the config files leave out, write +model.zzz=4");
  // An option of two sections written without either: both named.
  EXPECT_EQ(error_of({"+model.width=1", "width=2"}),
            "override 'width=2': width: no such key in the config (did you mean 'trainer.width' or "
            "'model.width'? an option is set with its section's name before it)");
  // A top-level key: the keys there are, not a `+` that would be refused next.
  EXPECT_EQ(error_of({"qqqqqq=1"}),
            "override 'qqqqqq=1': qqqqqq: no such key in the config (top-level keys: encoder, "
            "model, name, seed, trainer)");
  EXPECT_EQ(error_of({"+seed=1"}),
            "override '+seed=1': seed: already in the config (is '0'); to change it, write seed=1");
  EXPECT_EQ(error_of({"~encoder.name"}),
            "override '~encoder.name': encoder.name names the encoder that the config chose, so "
            "it cannot be deleted; choose another with encoder=OPTION, or leave the group out "
            "with ~encoder");
  EXPECT_EQ(error_of({"++encoder=conv"}),
            "override '++encoder=conv': ++ (force-add) does not apply to a config group; write "
            "encoder=OPTION to change its choice, or +encoder=OPTION to add one the defaults "
            "list lacks");
  EXPECT_EQ(error_of({"encoder=mpl"}),
            "override 'encoder=mpl': encoder: no option 'mpl' in group 'encoder' (did you mean "
            "'mlp'? known: conv, mlp)");
  EXPECT_EQ(error_of({"encoder=[conv,mlp]"}),
            "override 'encoder=[conv,mlp]': encoder: expected an option name, got list (aelab "
            "picks one option per group; to sweep over them, write encoder=conv,mlp)");
  EXPECT_EQ(error_of({"encoder=null"}),
            "override 'encoder=null': encoder: expected an option name, got null (to leave the "
            "group out, write ~encoder)");
  EXPECT_EQ(error_of({"noise=gaussian"}),
            "override 'noise=gaussian': group 'noise' is not in the defaults list (use "
            "+noise=gaussian to add it)");
  EXPECT_EQ(error_of({"model/encoder=conv"}),  // Hydra's nested groups
            "override 'model/encoder=conv': aelab's config groups are not nested: choose the "
            "encoder with encoder=conv");
  EXPECT_EQ(error_of({"~model.tag=x"}),
            "override '~model.tag=x': model.tag: is 'ae_${model.latent_dim}', not 'x', so it was "
            "not deleted");
  // A key of a group that an earlier override left out: the note names that override.
  EXPECT_EQ(error_of({"~encoder", "encoder.hidden=[4]"}),
            "override 'encoder.hidden=[4]': encoder.hidden: no such key in the config "
            "('~encoder' left the encoder group out); to add it alone, write "
            "+encoder.hidden=[4]");
  EXPECT_EQ(error_of({"seed.x=1"}),
            "override 'seed.x=1': seed is an int, not a mapping, so it has no key 'x'");
}

TEST_F(CompositionTest, AMisspelledConfigOrFolderSaysWhatToGive) {
  EXPECT_EQ(testing::message_of<ConfigError>([&] { source_->resolve_primary("sweeps/chidl"); }),
            "sweeps/chidl: config not found (did you mean 'sweeps/child'? give a file path or a "
            "name under " +
                dir_.path() + ", such as sweeps/bottleneck)");
  EXPECT_EQ(source_->resolve_primary("sweeps/child.yaml"), dir_.file("sweeps/child.yaml"));
  // A path into a folder of one's own: the closest config there, written as it was given.
  dir_.write("mine/wide.yaml", "seed: 1\n");
  EXPECT_EQ(testing::message_of<ConfigError>(
                [&] { source_->resolve_primary(dir_.file("mine/wdie.yaml")); }),
            dir_.file("mine/wdie.yaml") + ": config not found (did you mean '" +
                dir_.file("mine/wide.yaml") + "'? give a file path or a name under " + dir_.path() +
                ", such as sweeps/bottleneck)");
  EXPECT_EQ(testing::message_of<ConfigError>([&] { ConfigSource(dir_.file("none")); }),
            dir_.file("none") +
                ": config directory not found (--config-dir takes the folder that holds "
                "your config groups and primary configs, searched before the project's "
                "configs)");
}

TEST_F(CompositionTest, AResearchersOwnConfigFolderComesBeforeTheProjects) {
  // Their own sweep, an encoder option of their own, and their own mlp shadowing the project's;
  // the rest (/primary, the trainer, noise) from the project's folder.
  testing::ScratchDir own;
  own.write("sweeps/mine.yaml",
            "defaults:\n  - /primary\n  - override /encoder: tiny\n  - _self_\nname: mine\n");
  own.write("encoder/tiny.yaml", "name: mlp\nhidden: [4]\n");
  own.write("encoder/mlp.yaml", "name: mlp\nhidden: [32]\n");
  ConfigSource both({own.path(), dir_.path(), dir_.path() + "/."});
  EXPECT_EQ(both.config_dirs().size(), 2u);  // a folder given twice is searched once
  const std::string primary = both.resolve_primary("sweeps/mine");
  EXPECT_EQ(primary, own.file("sweeps/mine.yaml"));
  auto compose = [&](const std::vector<std::string>& texts) {
    JobSpec spec;
    for (const auto& text : texts) spec.overrides.push_back(parse_override(text));
    return compose_job(both, primary, spec).config;
  };
  ConfigNode config = compose({"+noise=gaussian"});
  EXPECT_EQ(config.find("name")->as_string(), "mine");
  EXPECT_EQ(config.find("encoder.hidden")->items().size(), 1u);
  EXPECT_EQ(config.find("encoder.hidden")->items()[0].as_int(), 4);
  EXPECT_EQ(config.find("trainer.epochs")->as_int(), 3);  // /primary's own value
  EXPECT_DOUBLE_EQ(config.find("noise.sigma")->as_float(), 0.1);
  EXPECT_EQ(compose({"encoder=mlp"}).find("encoder.hidden")->items()[0].as_int(), 32);
  EXPECT_EQ(compose({"encoder=conv"}).find("encoder.name")->as_string(), "conv");
  EXPECT_EQ(both.group_options("encoder"), (std::vector<std::string>{"conv", "mlp", "tiny"}));
  // The recorded choice follows an override of the group's plugin, not of its other options.
  auto choice_of = [&](const std::vector<std::string>& texts) {
    JobSpec spec;
    for (const auto& text : texts) spec.overrides.push_back(parse_override(text));
    return compose_job(both, primary, spec).choices.at("encoder");
  };
  EXPECT_EQ(choice_of({"encoder.hidden=[8]"}), "tiny");
  EXPECT_EQ(choice_of({"encoder.name=conv"}), "conv");
  EXPECT_EQ(choice_of({"encoder=conv"}), "conv");
  EXPECT_EQ(both.groups(), (std::vector<std::string>{"encoder", "noise", "trainer"}));
  const std::string typo = testing::message_of<ConfigError>([&] { compose({"encoder=tiyn"}); });
  EXPECT_NE(typo.find("no option 'tiyn' in group 'encoder' (did you mean 'tiny'?"),
            std::string::npos)
      << typo;
}

TEST_F(CompositionTest, FileErrorsCarryLineAndColumn) {
  dir_.write("bad_group.yaml", "defaults:\n  - encodr: mlp\n");
  EXPECT_EQ(testing::message_of<ConfigError>([&] { job({}, "bad_group.yaml"); }),
            dir_.file("bad_group.yaml") +
                ":2:5: defaults: 'encodr' is not a config group (did you mean 'encoder'? "
                "known: encoder, noise, trainer)");  // sweeps/ holds primary configs
  dir_.write("bad_ref.yaml", "epochs: 1\nlast: ${epoch}\n");
  EXPECT_EQ(testing::message_of<ConfigError>([&] { job({}, "bad_ref.yaml"); }),
            dir_.file("bad_ref.yaml") +
                ":2:7: last: interpolation ${epoch} refers to a missing key (did you mean "
                "${epochs}?)");
}

TEST_F(CompositionTest, AnItemOfAListByItsIndexAsOmegaConf) {
  ConfigNode config = job({"encoder.hidden.0=64", "+model.last=${encoder.hidden.1}"});
  EXPECT_EQ(config.find("encoder.hidden")->text(), "[64, 8]");
  EXPECT_EQ(config.find("model.last")->as_int(), 8);
  // A list an item override made wrong is the override's: errors about it name the override.
  EXPECT_EQ(config.find("encoder.hidden")->mark.describe(), "override 'encoder.hidden.0=64'");
  EXPECT_EQ(error_of({"encoder.hidden.2=1"}),
            "override 'encoder.hidden.2=1': encoder.hidden.2: encoder.hidden is a list of 2 "
            "item(s), numbered from 0");
  EXPECT_EQ(error_of({"~encoder.hidden.0"}),
            "override '~encoder.hidden.0': encoder.hidden.0: an item of a list can be changed but "
            "not added or deleted; give the whole list, as encoder.hidden=[...]");
}

TEST_F(CompositionTest, RelativeInterpolationsNameKeysOfTheirOwnSectionAndAbove) {
  ConfigNode config = job(
      {"+trainer.twice=${.epochs}", "+model.seed_copy=${..seed}", "+model.label=k${.latent_dim}"});
  EXPECT_EQ(config.find("trainer.twice")->as_int(), 3);
  EXPECT_EQ(config.find("model.seed_copy")->as_int(), 0);
  EXPECT_EQ(config.find("model.label")->as_string(), "k8");
  EXPECT_EQ(error_of({"+trainer.far=${...seed}"}),
            "override '+trainer.far=${...seed}': trainer.far: ${...seed} names no key (it goes "
            "above the top of the config)");
  EXPECT_EQ(error_of({"+trainer.none=${.nothing}"}),
            "override '+trainer.none=${.nothing}': trainer.none: interpolation ${.nothing} refers "
            "to a missing key (trainer.nothing)");
}

TEST_F(CompositionTest, AGroupOptionNamedAsAPathIsThatChoiceAsInHydra) {
  // `- /noise/gaussian` puts gaussian's keys under noise:, as `- noise: gaussian` does; so does
  // `- noise/gaussian` where no such file lies beside the config that lists it.
  for (const std::string entry : {"/noise/gaussian", "noise/gaussian"}) {
    dir_.write("sweeps/path.yaml", "defaults:\n  - /primary\n  - " + entry + "\n  - _self_\n");
    JobSpec spec;
    const Composition composition = compose_job(*source_, dir_.file("sweeps/path.yaml"), spec);
    EXPECT_DOUBLE_EQ(composition.config.find("noise.sigma")->as_float(), 0.1) << entry;
    EXPECT_EQ(composition.config.get("sigma"), nullptr) << entry;
    EXPECT_EQ(composition.choices.at("noise"), "gaussian") << entry;
  }
  // A file whose header says `# @package _global_` merges at the top level, as in Hydra.
  dir_.write("common/base.yaml", "tag: shared\n");
  dir_.write("common/flat.yaml", "# shared keys\n# @package _global_\ntag: flat\n");
  dir_.write("sweeps/parts.yaml", "defaults:\n  - /primary\n  - /common/base\n  - _self_\n");
  EXPECT_EQ(job({}, "sweeps/parts.yaml").find("common.tag")->as_string(), "shared");
  dir_.write("sweeps/parts.yaml", "defaults:\n  - /primary\n  - /common/flat\n  - _self_\n");
  EXPECT_EQ(job({}, "sweeps/parts.yaml").find("tag")->as_string(), "flat");
  // A group the list chose already (in /primary): the path replaces that choice, as a Hydra
  // entry of its package merges over it; after `override /encoder: null`, it chooses anew.
  dir_.write("sweeps/again.yaml", "defaults:\n  - /primary\n  - /encoder/conv\n");
  EXPECT_EQ(job({}, "sweeps/again.yaml").find("encoder.name")->as_string(), "conv");
  dir_.write("sweeps/anew.yaml",
             "defaults:\n  - /primary\n  - override /encoder: null\n  - encoder/conv\n");
  EXPECT_EQ(job({}, "sweeps/anew.yaml").find("encoder.name")->as_string(), "conv");
  // `optional override` to an option that does not exist changes nothing, as in Hydra.
  dir_.write("sweeps/maybe.yaml", "defaults:\n  - /primary\n  - optional override /encoder: x\n");
  EXPECT_EQ(job({}, "sweeps/maybe.yaml").find("encoder.name")->as_string(), "mlp");
  EXPECT_NE(file_error_of("sweeps/typo.yaml", "defaults:\n  - /primary\n  - /noise/gausian\n")
                .find("typo.yaml:3:5: defaults: noise: no option 'gausian' in group 'noise' "
                      "(did you mean 'gaussian'?"),
            std::string::npos);
  // Hydra's keywords in either order, and what aelab does without: packages, hydra/, resolvers.
  for (const std::string keywords : {"optional override", "override optional"}) {
    dir_.write("sweeps/kw.yaml", "defaults:\n  - /primary\n  - " + keywords + " /encoder: conv\n");
    EXPECT_EQ(job({}, "sweeps/kw.yaml").find("encoder.name")->as_string(), "conv") << keywords;
  }
  EXPECT_EQ(
      file_error_of("sweeps/pkg.yaml", "defaults:\n  - /primary\n  - override /encoder@x: conv\n"),
      dir_.file("sweeps/pkg.yaml") +
          ":3:5: defaults: 'encoder@x' places a group under a package, which aelab's configs "
          "do not use; write '- override /encoder: OPTION'");
  EXPECT_NE(
      file_error_of("sweeps/hydra.yaml", "defaults:\n  - override hydra/launcher: joblib\n")
          .find(":2:5: defaults: 'hydra/launcher' is Hydra's own (aelab has no hydra section"),
      std::string::npos);
  EXPECT_NE(file_error_of("sweeps/env.yaml",
                          "defaults:\n  - /primary\n  - override /encoder: ${oc.env:E,conv}\n")
                .find(":3:24: defaults: encoder: ${oc.env:E,conv}: a defaults list takes no "
                      "resolver (as in Hydra)"),
            std::string::npos);
  // `override /group: null` removes the earlier choice; one with none to remove is refused.
  dir_.write("sweeps/none.yaml", "defaults:\n  - /primary\n  - override /encoder: null\n");
  EXPECT_EQ(job({}, "sweeps/none.yaml").get("encoder"), nullptr);
  EXPECT_EQ(
      file_error_of("sweeps/no_noise.yaml", "defaults:\n  - /primary\n  - override /noise: null\n"),
      dir_.file("sweeps/no_noise.yaml") +
          ":3:22: defaults: 'override noise: null' has no earlier choice of that group to "
          "remove");
}

TEST_F(CompositionTest, DefaultsListMistakesNameTheirOwnFileAndLine) {
  // A defaults-list `override` names its own file and line, not the entry it replaces.
  std::string error = file_error_of(
      "sweeps/bad_override.yaml",
      "defaults:\n  - /primary\n  - override /encoder: nosuch\n  - _self_\nname: x\n");
  EXPECT_EQ(error.rfind(dir_.file("sweeps/bad_override.yaml") + ":3:", 0), 0u) << error;
  EXPECT_NE(error.find("no option 'nosuch' in group 'encoder'"), std::string::npos) << error;
  EXPECT_EQ(file_error_of("sweeps/no_earlier.yaml",
                          "defaults:\n  - override /noise: gaussian\nname: x\n"),
            dir_.file("sweeps/no_earlier.yaml") +
                ":2:22: defaults: 'override noise' has no earlier choice of that group to "
                "override");
  // One choice per group, as in Hydra: a second one must be an override, and only one override.
  error =
      file_error_of("sweeps/twice.yaml", "defaults:\n  - /primary\n  - encoder: conv\nname: x\n");
  EXPECT_NE(error.find("twice.yaml:3:14: defaults: group 'encoder' is chosen twice (first at "),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("write '- override /encoder: conv'"), std::string::npos) << error;
  error = file_error_of("sweeps/two_overrides.yaml",
                        "defaults:\n  - /primary\n  - override /encoder: conv\n  - override "
                        "/encoder: mlp\nname: x\n");
  EXPECT_NE(error.find("two_overrides.yaml:4:"), std::string::npos) << error;
  EXPECT_NE(file_error_of("self_twice.yaml", "defaults:\n  - _self_\n  - _self_\nname: x\n")
                .find("self_twice.yaml:3:5: defaults: _self_ is listed twice"),
            std::string::npos);
  EXPECT_EQ(file_error_of("two_documents.yaml", "name: a\n---\nname: b\n"),
            dir_.file("two_documents.yaml") +
                ":2: a second YAML document ('---'); a config file holds one, so remove it or "
                "move it to a file of its own");
  EXPECT_EQ(file_error_of("empty.yaml", ""),
            dir_.file("empty.yaml") +
                ":1:1: the config is empty; start from the project's with a defaults list, "
                "'defaults: [/config, _self_]', then the keys to change");
  dir_.write("bad_yaml.yaml", "a: [1, 2\n");
  EXPECT_THROW(job({}, "bad_yaml.yaml"), ConfigError);
}

TEST_F(CompositionTest, SweepsAreCartesianWithLastFastest) {
  std::vector<Override> command_line = {parse_override("a=1,2"), parse_override("b=x,y,z")};
  auto jobs = expand_sweeps(*source_, {}, command_line);
  ASSERT_EQ(jobs.size(), 6u);
  EXPECT_EQ(jobs[0].describe(), "a=1 b=x");
  EXPECT_EQ(jobs[1].describe(), "a=1 b=y");
  EXPECT_EQ(jobs[3].describe(), "a=2 b=x");
}

TEST_F(CompositionTest, ADeletionFollowsTheSettingsOfItsKeyBeforeIt) {
  // As Hydra applies them in order: `~a=2` deletes in the job where `a=1,2` set 2, and is an
  // error where it set 1 (not a deletion from the config files' value).
  auto jobs = expand_sweeps(*source_, {}, {parse_override("a=1,2"), parse_override("~a=2")});
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].describe(), "a=1 ~a=2");
  EXPECT_EQ(jobs[1].describe(), "a=2 ~a=2");
  jobs = expand_sweeps(*source_, {}, {parse_override("a=1"), parse_override("~a")});
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].describe(), "a=1 ~a");
}

TEST_F(CompositionTest, OversizedSweepsAreRefusedBeforeExpanding) {
  std::vector<Override> typo = {parse_override("a=range(1000)"), parse_override("b=range(1000)"),
                                parse_override("c=range(1000)"), parse_override("d=1")};
  EXPECT_EQ(testing::message_of<ConfigError>([&] { expand_sweeps(*source_, {}, typo); }),
            "the sweep expands to 1000000000 jobs (a: 1000 x b: 1000 x c: 1000), more than "
            "--max-jobs 10000; narrow a sweep, or pass --max-jobs 1000000000 to run them all");
  std::vector<Override> six = {parse_override("a=1,2"), parse_override("b=x,y,z")};
  EXPECT_EQ(expand_sweeps(*source_, {}, six, 6).size(), 6u);
  EXPECT_THROW(expand_sweeps(*source_, {}, six, 5), ConfigError);
}

TEST_F(CompositionTest, SweepEntriesOfAConfigNameTheirFileAndLine) {
  dir_.write("sweeps/typo.yaml",
             "defaults:\n  - /primary\n  - _self_\nname: x\nsweep:\n  model.latent_dim: 2,4\n"
             "  trainer.epoch: [1, 2]\n");
  Composition base = compose(*source_, dir_.file("sweeps/typo.yaml"), {});
  auto from_file = sweeps_from_config(*base.config.get("sweep"));
  auto jobs = expand_sweeps(*source_, from_file, {});
  ASSERT_EQ(jobs.size(), 4u);
  const std::string error = testing::message_of<ConfigError>(
      [&] { compose_job(*source_, dir_.file("sweeps/typo.yaml"), jobs[0]); });
  EXPECT_EQ(error.rfind(dir_.file("sweeps/typo.yaml") + ":7:", 0), 0u) << error;
  EXPECT_NE(error.find("trainer.epoch: no such key"), std::string::npos) << error;
}

TEST_F(CompositionTest, ConfigSweepsComeFirstAndCommandLineReplacesThem) {
  ConfigNode section = ConfigNode::map();
  section.set("model.latent_dim", ConfigNode::string("2,4"));
  section.set("seed", ConfigNode::list({ConfigNode::integer(0), ConfigNode::integer(1)}));
  auto from_file = sweeps_from_config(section);
  auto jobs = expand_sweeps(*source_, from_file,
                            {parse_override("encoder=glob(*)"), parse_override("seed=7")});
  ASSERT_EQ(jobs.size(), 4u);
  EXPECT_EQ(jobs[0].describe(), "model.latent_dim=2 seed=7 encoder=conv");
  EXPECT_EQ(jobs[1].describe(), "model.latent_dim=2 seed=7 encoder=mlp");
  EXPECT_EQ(jobs[3].describe(), "model.latent_dim=4 seed=7 encoder=mlp");
}

TEST_F(CompositionTest, ANumberInASweepSectionReachesTheJobAsItWasWritten) {
  // Hex run ids type as numbers; a string option takes them as written, one value or a list.
  dir_.write("sweeps/ids.yaml",
             "defaults:\n  - /primary\n  - _self_\nname: x\nsweep:\n"
             "  name: 5e3210987654\n  seed: [455751741547, 12345678901e2]\n");
  Composition base = compose(*source_, dir_.file("sweeps/ids.yaml"), {});
  auto jobs = expand_sweeps(*source_, sweeps_from_config(*base.config.get("sweep")), {});
  ASSERT_EQ(jobs.size(), 2u);
  std::vector<std::string> seeds;
  for (const auto& job : jobs) {
    ConfigNode config = compose_job(*source_, dir_.file("sweeps/ids.yaml"), job).config;
    EXPECT_EQ(config.get("name")->as_written(), "5e3210987654");
    seeds.push_back(config.get("seed")->as_written());
  }
  EXPECT_EQ(seeds, (std::vector<std::string>{"455751741547", "12345678901e2"}));
  EXPECT_EQ(jobs[0].describe(), "name=5e3210987654 seed=455751741547");
}

TEST_F(CompositionTest, ZipWalksItsListsTogetherAndCrossesTheOtherKeys) {
  dir_.write("sweeps/zip.yaml",
             "defaults:\n  - /primary\n  - _self_\nname: x\nsweep:\n  seed: 0,1\n  zip:\n"
             "    model.latent_dim: [2, 8, 32]\n    trainer.lr: [1.0e-3, 5.0e-4, 1.0e-4]\n");
  Composition base = compose(*source_, dir_.file("sweeps/zip.yaml"), {});
  auto from_file = sweeps_from_config(*base.config.get("sweep"));
  std::string shape;
  auto jobs = expand_sweeps(*source_, from_file, {}, kDefaultMaxJobs, &shape);
  ASSERT_EQ(jobs.size(), 6u);
  EXPECT_EQ(shape, "seed: 2 x zip(model.latent_dim, trainer.lr): 3 = 6 jobs");
  EXPECT_EQ(jobs[0].describe(), "seed=0 model.latent_dim=2 trainer.lr=0.001");
  EXPECT_EQ(jobs[2].describe(), "seed=0 model.latent_dim=32 trainer.lr=0.0001");
  EXPECT_EQ(jobs[4].describe(), "seed=1 model.latent_dim=8 trainer.lr=0.0005");
  // A command-line override of a zipped key replaces that key alone; the rest stays zipped.
  auto replaced = expand_sweeps(*source_, from_file, {parse_override("model.latent_dim=4,5")});
  ASSERT_EQ(replaced.size(), 12u);
  EXPECT_EQ(replaced[1].describe(), "seed=0 trainer.lr=0.001 model.latent_dim=5");
}

TEST_F(CompositionTest, ZipListsOfDifferentLengthsNameTheirLine) {
  dir_.write("sweeps/bad_zip.yaml",
             "defaults:\n  - /primary\n  - _self_\nname: x\nsweep:\n  zip:\n"
             "    model.latent_dim: [2, 8, 32]\n    trainer.lr: [1.0e-3, 5.0e-4]\n");
  Composition base = compose(*source_, dir_.file("sweeps/bad_zip.yaml"), {});
  const std::string error =
      testing::message_of<ConfigError>([&] { sweeps_from_config(*base.config.get("sweep")); });
  EXPECT_EQ(error.rfind(dir_.file("sweeps/bad_zip.yaml") + ":8:", 0), 0u) << error;
  EXPECT_NE(error.find("sweep.zip.trainer.lr: 2 value(s), but sweep.zip.model.latent_dim has 3"),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace aelab
