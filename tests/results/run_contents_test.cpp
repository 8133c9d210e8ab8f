// What run files hold besides metrics: group choices, float arrays and model weights; the
// summary reader that tables use; and the model family that labels runs.
#include <gtest/gtest.h>

#include "framework/core/yaml_io.h"
#include "framework/results/hdf5_file.h"
#include "framework/results/result_table.h"
#include "framework/results/run_record.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

RunRecord full_record() {
  RunRecord r;
  r.run_id = "abc";
  r.config_yaml = "model:\n  name: ae\n  latent_dim: 2\nencoder:\n  name: conv\n";
  r.status = "completed";
  r.metrics["test"]["sse"] = 4.5;
  r.history["train"]["loss"] = {1, 0.5};
  r.images["inputs"] = ImageArray{{9, 8}, {1, 1, 1, 2}};
  r.arrays["confusion"] = FloatArray{{1, 2, 3, 4, 5, 6}, {2, 3}};
  r.choices = {{"model", "conv_ae"}, {"encoder", "conv"}};
  r.model_state = {0x50, 0x4b, 0, 255};
  r.model_input_shape = {1, 28, 28};
  return r;
}

TEST(RunContents, ChoicesArraysAndWeightsRoundTrip) {
  testing::ScratchDir dir;
  write_run_file(dir.file("abc.h5"), full_record());
  RunRecord back = read_run_file(dir.file("abc.h5"));
  EXPECT_EQ(back.choices, full_record().choices);
  EXPECT_EQ(back.arrays.at("confusion").values, full_record().arrays.at("confusion").values);
  EXPECT_EQ(back.arrays.at("confusion").shape, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(back.model_state, full_record().model_state);
  EXPECT_EQ(back.model_input_shape, (std::vector<int64_t>{1, 28, 28}));
  Hdf5File file = Hdf5File::open_read(dir.file("abc.h5"));
  EXPECT_EQ(file.read_string("/choices/model").value_or(""), "conv_ae");
}

TEST(RunContents, TheSummaryReaderSkipsImagesHistoryArraysAndWeights) {
  testing::ScratchDir dir;
  write_run_file(dir.file("abc.h5"), full_record());
  RunRecord summary = read_run_summary(dir.file("abc.h5"));
  EXPECT_EQ(summary.metrics.at("test").at("sse"), 4.5);
  EXPECT_EQ(summary.choices.at("model"), "conv_ae");
  EXPECT_TRUE(summary.images.empty());
  EXPECT_TRUE(summary.history.empty());
  EXPECT_TRUE(summary.arrays.empty());
  EXPECT_TRUE(summary.model_state.empty());
}

TEST(RunContents, FilesWithoutTheNewGroupsStillRead) {
  testing::ScratchDir dir;
  RunRecord old = full_record();
  old.arrays.clear();
  old.choices.clear();
  old.model_state.clear();
  write_run_file(dir.file("old.h5"), old);
  RunRecord back = read_run_file(dir.file("old.h5"));
  EXPECT_TRUE(back.choices.empty());
  EXPECT_TRUE(back.model_state.empty());
  EXPECT_EQ(back.metrics, old.metrics);
}

TEST(RunFamily, NamesTheModelReadably) {
  auto family = [](const std::string& yaml) { return run_family(parse_yaml(yaml, "t")); };
  EXPECT_EQ(family("model: {name: pca}"), "pca");
  EXPECT_EQ(family("model: {name: vae}\nencoder: {name: conv}"), "vae");
  EXPECT_EQ(family("model: {name: ae}\nencoder: {name: linear}\ndecoder: {name: linear}"),
            "linear");
  EXPECT_EQ(family("model: {name: ae}\nencoder: {name: conv}\ndecoder: {name: mlp}"), "conv/mlp");
  // Run files written before model presets.
  EXPECT_EQ(family("model: {name: linear}"), "linear");
  EXPECT_EQ(family("model: {name: mlp}\nencoder: {name: conv}\ndecoder: {name: conv}"), "conv");
  EXPECT_EQ(family("model: {name: mlp}"), "mlp");
}

TEST(RunFamily, LabelsTableColumns) {
  std::vector<RunRecord> runs;
  auto add = [&](const std::string& yaml, double sse) {
    RunRecord r;
    r.run_id = std::to_string(runs.size());
    r.config_yaml = yaml;
    r.status = "completed";
    r.metrics["test"]["sse"] = sse;
    runs.push_back(r);
  };
  add("model: {name: pca, latent_dim: 2}\n", 3);
  add("model: {name: ae, latent_dim: 2}\nencoder: {name: linear}\ndecoder: {name: linear}\n", 4);
  add("model: {name: ae, latent_dim: 2}\nencoder: {name: mlp}\ndecoder: {name: mlp}\n", 2);
  add("model: {name: mlp, latent_dim: 4}\nencoder: {name: mlp}\ndecoder: {name: mlp}\n", 1);
  TableSpec spec{"model.latent_dim", "family", {"test/sse"}, "csv", 4};
  EXPECT_EQ(make_table(runs, spec), "model.latent_dim,linear,mlp,pca\n2,4,2,3\n4,,1,\n");
}

}  // namespace
}  // namespace aelab
