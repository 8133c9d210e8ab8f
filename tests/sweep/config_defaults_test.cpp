// The defaults written in configs/<group>/*.yaml and those of the C++ options structs cannot
// drift apart: every group option is compared, key by key, with its plugin's or section's
// defaults.
#include <gtest/gtest.h>

#include <filesystem>

#include "framework/config/composition.h"
#include "framework/core/registry.h"
#include "framework/core/settings_section.h"
#include "framework/core/yaml_io.h"
#include "framework/sweep/jobs/job.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

namespace fs = std::filesystem;

/// The defaults the C++ side declares for an option file of `group` named `name`.
ConfigNode declared_defaults(const std::string& group, const ConfigNode& file) {
  if (const SettingsSection* section = find_settings_section(group))
    return section->normalize(ConfigNode::map());
  std::string kind = group == "data" ? "dataset" : group;
  const ConfigNode* name = file.get("name");
  EXPECT_NE(name, nullptr) << group << " option without a name";
  return RegistryCatalog::instance().find(kind, name ? name->as_string() : "", group).defaults();
}

TEST(ConfigDefaults, EveryGroupOptionMatchesItsOptionsStruct) {
  ConfigSource source(testing::project_configs());
  int64_t compared = 0;
  for (const auto& group : source.groups()) {
    if (group == "sweeps" || group == "reproduce") continue;  // primary configs, not options
    for (const auto& option : source.group_options(group)) {
      std::string path = testing::project_configs() + "/" + group + "/" + option + ".yaml";
      ConfigNode file = load_yaml_file(path);
      file.remove("defaults");
      ConfigNode declared = declared_defaults(group, file);
      // A variant (decoder/mlp_real.yaml for plugin mlp) may change values; it still lists
      // every option, and only real ones.
      const ConfigNode* name = file.get("name");
      const bool variant =
          option != "default" && name && name->as_string() != option && group != "model";
      for (const auto& [key, value] : declared.entries()) {
        const ConfigNode* written = file.get(key);
        if (!written) {
          ADD_FAILURE() << path << ": " << key << " missing (the C++ default is " << value.text()
                        << ")";
          continue;
        }
        bool required =
            written->kind() == ConfigNode::Kind::kString && written->as_string() == "???";
        // A decoder's `mirror` is the encoder option of the same name's list, reversed.
        if (group == "decoder" && written->text() == "mirror" && !variant) {
          const ConfigNode encoder =
              load_yaml_file(testing::project_configs() + "/encoder/" + option + ".yaml");
          const ConfigNode* list = encoder.get(key);
          ASSERT_TRUE(list && list->is_list()) << path << ": " << key << " mirrors no list";
          EXPECT_EQ(ConfigNode::list({list->items().rbegin(), list->items().rend()}), value)
              << path << ": " << key << " mirrors " << list->text() << ", the C++ default is "
              << value.text();
          continue;
        }
        EXPECT_TRUE(required || variant || *written == value)
            << path << ": " << key << " is " << written->text() << ", the C++ default is "
            << value.text();
      }
      for (const auto& key : file.keys())
        EXPECT_NE(declared.get(key), nullptr) << path << ": " << key << " is no option";
      ++compared;
    }
  }
  EXPECT_GE(compared, 25);
}

TEST(ConfigDefaults, ModelPresetsChooseTheirEncoderAndDecoder) {
  ConfigSource source(testing::project_configs());
  std::string primary = source.resolve_primary("config");
  for (const std::string family : {"linear", "mlp", "conv"}) {
    Composition composed = compose(source, primary, {parse_override("model=" + family + "_ae")});
    EXPECT_EQ(composed.choices.at("encoder"), family);
    EXPECT_EQ(composed.choices.at("decoder"), family);
    EXPECT_EQ(composed.config.find("model.name")->as_string(), "ae");
  }
  Composition mixed =
      compose(source, primary, {parse_override("model=conv_ae"), parse_override("decoder=mlp")});
  EXPECT_EQ(mixed.choices.at("encoder"), "conv");
  EXPECT_EQ(mixed.choices.at("decoder"), "mlp");
}

TEST(ConfigDefaults, TheDecoderMirrorsTheEncodersLayers) {
  ConfigSource source(testing::project_configs());
  const std::string primary = source.resolve_primary("config");
  testing::ScratchDir out;
  auto job_of = [&](const std::vector<std::string>& overrides) {
    SweepPlan plan = plan_sweep(source, primary, overrides, out.path(), 10);
    EXPECT_EQ(plan.jobs.size(), 1u);
    return plan.jobs.at(0);
  };
  const Job narrow = job_of({"model=mlp_ae", "encoder.hidden=[128,32]"});
  EXPECT_EQ(narrow.config.find("decoder.hidden")->text(), "[32, 128]");
  const Job conv = job_of({"model=conv_ae", "encoder.channels=[8,16,32]"});
  EXPECT_EQ(conv.config.find("decoder.channels")->text(), "[32, 16, 8]");
  EXPECT_EQ(conv.config.find("decoder.hidden")->text(), "[256]");
  // The default layers, mirrored, are the run the lists written out make (ids of earlier runs
  // stay); a list of one's own replaces the mirror.
  EXPECT_EQ(job_of({"model=mlp_ae"}).run_id,
            job_of({"model=mlp_ae", "decoder.hidden=[256,512]"}).run_id);
  EXPECT_EQ(job_of({"model=mlp_ae", "encoder.hidden=[128,32]", "decoder.hidden=[64]"})
                .config.find("decoder.hidden")
                ->text(),
            "[64]");
  // Beside an encoder of another kind, the decoder's own default: the run the list written
  // out makes, as before decoders mirrored.
  for (const std::string encoder : {"linear", "conv"}) {
    const Job mixed = job_of({"model=mlp_ae", "encoder=" + encoder, "decoder=mlp"});
    EXPECT_EQ(mixed.config.find("decoder.hidden")->text(), "[256, 512]") << encoder;
    EXPECT_EQ(mixed.run_id, job_of({"model=mlp_ae", "encoder=" + encoder, "decoder=mlp",
                                    "decoder.hidden=[256,512]"})
                                .run_id);
  }
  EXPECT_EQ(job_of({"model=conv_ae", "encoder=mlp", "decoder=conv"})
                .config.find("decoder.channels")
                ->text(),
            "[64, 32]");
}

}  // namespace
}  // namespace aelab
