// make_table's `family` where runs of one family come from several presets: mlp_ae beside
// hinton_ae, VAEs of several priors.
#include <gtest/gtest.h>

#include "framework/core/error.h"
#include "framework/results/result_table.h"
#include "tests/results/csv_table_spec.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

RunRecord preset_run(const std::string& id, const std::string& model, const std::string& encoder,
                     const std::string& prior, int64_t seed, double metric) {
  RunRecord r;
  r.run_id = id;
  const bool vae = model == "vae";
  r.config_yaml = std::string("model: {name: ") + (vae ? "vae" : "ae") +
                  ", latent_dim: 8}\nencoder: {name: mlp}\ndecoder: {name: mlp}\n" +
                  (vae ? "prior: {name: " + prior + "}\n" : "") + "seed: " + std::to_string(seed) +
                  "\n";
  r.status = "completed";
  r.seed = seed;
  r.choices = {{"model", model}, {"encoder", encoder}, {"decoder", "mlp"}};
  if (vae) r.choices["prior"] = prior;
  r.metrics["test"]["sse"] = metric;
  return r;
}

TEST(FamilyPresets, PresetsOfOneFamilyAreNamedApartNotPooled) {
  // hinton_ae sets its own encoder preset: the model's preset says it, the encoder's follows.
  const std::vector<RunRecord> runs = {preset_run("a", "mlp_ae", "mlp", "", 0, 20),
                                       preset_run("b", "mlp_ae", "mlp", "", 1, 22),
                                       preset_run("c", "hinton_ae", "mlp_hinton", "", 0, 10)};
  EXPECT_EQ(make_table(runs, testing::csv_table_spec("model.latent_dim", "family")),
            "model.latent_dim,mlp model=hinton_ae test/sse,mlp model=hinton_ae test/sse std,"
            "mlp model=hinton_ae test/sse n,mlp model=mlp_ae test/sse,"
            "mlp model=mlp_ae test/sse std,mlp model=mlp_ae test/sse n\n"
            "8,10,,1,21,1.4142135623730951,2\n");
  // A table whose keys show the presets already keeps the bare family.
  EXPECT_EQ(make_table(runs, testing::csv_table_spec("model", "family")),
            "model,mlp test/sse,mlp test/sse std,mlp test/sse "
            "n\nhinton_ae,10,,1\nmlp_ae,21,1.4142135623730951,2\n");
  // model.name shows the plugin (`ae` for both presets), not the preset: the family names it.
  EXPECT_EQ(make_table(runs, testing::csv_table_spec("model.name", "family")),
            "model.name,mlp model=hinton_ae test/sse,mlp model=hinton_ae test/sse std,"
            "mlp model=hinton_ae test/sse n,mlp model=mlp_ae test/sse,"
            "mlp model=mlp_ae test/sse std,mlp model=mlp_ae test/sse n\n"
            "ae,10,,1,21,1.4142135623730951,2\n");
  // A run file written before group choices were recorded tells no preset apart.
  RunRecord older = preset_run("d", "mlp_ae", "mlp", "", 2, 24);
  older.choices.clear();
  EXPECT_EQ(
      make_table({runs[0], runs[1], older}, testing::csv_table_spec("model.latent_dim", "family")),
      "model.latent_dim,mlp test/sse,mlp test/sse std,mlp test/sse n\n8,22,2,3\n");
  // --relative-to a family named apart says how to name one of its presets.
  TableSpec relative = testing::csv_table_spec("model.latent_dim", "family");
  relative.relative_to = "mlp";
  EXPECT_NE(testing::message_of<ConfigError>([&] { make_table(runs, relative); })
                .find("the table names the presets of mlp apart: give one, as in --relative-to "
                      "'mlp model=hinton_ae', or keep one with --where)"),
            std::string::npos);
  relative.relative_to = "mlp model=mlp_ae";
  EXPECT_EQ(make_table(runs, relative).substr(0, 16), "model.latent_dim");
  // --where picks runs by the bare family, and a family of one preset stays bare.
  TableSpec one = testing::csv_table_spec("model.latent_dim", "family");
  one.where = {"family=mlp", "model=mlp_ae"};
  EXPECT_EQ(make_table(runs, one),
            "model.latent_dim,mlp test/sse,mlp test/sse std,mlp test/sse n\n"
            "8,21,1.4142135623730951,2\n");
}

TEST(FamilyPresets, VaesOfSeveralPriorsAreNamedByPrior) {
  const std::vector<RunRecord> runs = {preset_run("a", "vae", "mlp", "standard_normal", 0, 90),
                                       preset_run("b", "vae", "mlp", "mog", 0, 88),
                                       preset_run("c", "mlp_ae", "mlp", "", 0, 20)};
  EXPECT_EQ(make_table(runs, testing::csv_table_spec("family", "")),
            "family,test/sse,test/sse std,test/sse n\nmlp,20,,1\nvae prior=mog,88,,1\n"
            "vae prior=standard_normal,90,,1\n");
  // A prior chosen by `prior.name=` over the preset `normal` is named by its plugin.
  std::vector<RunRecord> renamed = runs;
  renamed[1].choices["prior"] = "standard_normal";
  EXPECT_EQ(make_table(renamed, testing::csv_table_spec("family", "")),
            make_table(runs, testing::csv_table_spec("family", "")));
  EXPECT_EQ(make_table(runs, testing::csv_table_spec("family", "prior.name")),
            "family,mog test/sse,mog test/sse std,mog test/sse n,standard_normal test/sse,"
            "standard_normal test/sse std,standard_normal test/sse n\n"
            "vae,88,,1,90,,1\n");
}

}  // namespace
}  // namespace aelab
