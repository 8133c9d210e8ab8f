// What run files hold besides metrics: group choices, float arrays and model weights; the
// summary reader that tables use; and the model family that labels runs.
#include <gtest/gtest.h>

#include <filesystem>

#include "framework/core/error.h"
#include "framework/core/yaml_io.h"
#include "framework/results/hdf5_file.h"
#include "framework/results/result_table.h"
#include "framework/results/results_folder.h"
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

/// The message of the DataError that `action` throws ("" and a failure when it throws none).
template <class Action>
std::string data_error_of(Action&& action) {
  const std::string message = testing::message_of<DataError>(action);
  if (message == "no error") ADD_FAILURE() << "no DataError thrown";
  return message == "no error" ? "" : message;
}

/// Writes a scalar fixed-length (not variable-length) string dataset, as other tools may.
void write_fixed_string(const std::string& file_path, const std::string& path,
                        const std::string& value) {
  hid_t file = H5Fopen(file_path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, value.size());
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t dataset =
      H5Dcreate2(file, path.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  EXPECT_GE(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, value.data()), 0);
  H5Dclose(dataset);
  H5Sclose(space);
  H5Tclose(type);
  H5Fclose(file);
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
  EXPECT_TRUE(summary.model_input_shape.empty());
}

TEST(RunContents, FilesWithoutTheNewGroupsStillRead) {
  testing::ScratchDir dir;
  RunRecord old = full_record();
  old.arrays.clear();
  old.choices.clear();
  old.model_state.clear();
  write_run_file(dir.file("old.h5"), old);
  {
    Hdf5File file = Hdf5File::open_read(dir.file("old.h5"));
    for (const char* group : {"/choices", "/arrays", "/model"})
      ASSERT_FALSE(file.exists(group)) << group << " would make this a new-style file";
  }
  RunRecord back = read_run_file(dir.file("old.h5"));
  EXPECT_TRUE(back.choices.empty());
  EXPECT_TRUE(back.arrays.empty());
  EXPECT_TRUE(back.model_state.empty());
  EXPECT_TRUE(back.model_input_shape.empty());
  EXPECT_EQ(back.metrics, old.metrics);
  EXPECT_EQ(back.images.at("inputs").pixels, old.images.at("inputs").pixels);
  EXPECT_EQ(read_run_summary(dir.file("old.h5")).metrics, old.metrics);
}

TEST(RunContents, ReadsFixedLengthStringsAsWellAsVariableLengthOnes) {
  testing::ScratchDir dir;
  write_run_file(dir.file("abc.h5"), full_record());
  write_fixed_string(dir.file("abc.h5"), "/choices/noise", "none");
  EXPECT_EQ(read_run_summary(dir.file("abc.h5")).choices.at("noise"), "none");
}

TEST(RunContents, BadFilesSayWhatIsWrongAndWhatToDo) {
  testing::ScratchDir dir;
  // In a results folder's runs/: what to do so that the job runs again.
  std::filesystem::create_directories(dir.file("runs"));
  write_hdf5_atomically(dir.file("runs/other.h5"),
                        [](Hdf5File& file) { file.set_attribute("run_id", "x"); });
  EXPECT_EQ(data_error_of([&] { read_run_summary(dir.file("runs/other.h5")); }),
            dir.file("runs/other.h5") +
                ": a readable attribute 'config_yaml' is missing (damaged or not an aelab run "
                "file: move it out of runs/ or delete it, and run_sweep runs its job again)");
  // Every attribute but one: the error names the one, never a default such as seed=0.
  for (const char* absent : {"run_id", "status", "seed", "wall_seconds"}) {
    write_hdf5_atomically(dir.file("part.h5"), [&](Hdf5File& file) {
      if (std::string(absent) != "run_id") file.set_attribute("run_id", "abc");
      if (std::string(absent) != "status") file.set_attribute("status", "completed");
      file.set_attribute("config_yaml", "model: {name: pca}");
      if (std::string(absent) != "seed") file.set_attribute("seed", int64_t{3});
      if (std::string(absent) != "wall_seconds") file.set_attribute("wall_seconds", 1.5);
    });
    EXPECT_EQ(data_error_of([&] { read_run_summary(dir.file("part.h5")); }),
              dir.file("part.h5") + ": a readable attribute '" + absent +
                  "' is missing (damaged or not an aelab run file: give a run file, "
                  "results/<name>/runs/<run_id>.h5)");
  }
  write_hdf5_atomically(dir.file("abc.h5"), [](Hdf5File& file) {
    file.set_attribute("run_id", "abc");
    file.set_attribute("status", "completed");
    file.set_attribute("config_yaml", "model: {name: pca}");
    file.set_attribute("seed", int64_t{0});
    file.set_attribute("wall_seconds", 1.0);
    file.write_doubles("/choices/model", {1.0}, {});
  });
  EXPECT_EQ(data_error_of([&] { read_run_file(dir.file("abc.h5")); }),
            dir.file("abc.h5") +
                ": /choices/model is not one string (write it as a scalar string dataset, as "
                "h5py does for f[path] = 'text') (damaged or not an aelab run file: give a run "
                "file, results/<name>/runs/<run_id>.h5)");
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
  EXPECT_EQ(make_table(runs, spec),
            "model.latent_dim,linear test/sse,linear test/sse std,linear test/sse n,mlp test/sse,"
            "mlp test/sse std,mlp test/sse n,pca test/sse,pca test/sse std,pca test/sse n\n"
            "2,4,,1,2,,1,3,,1\n4,,,0,1,,1,,,0\n");
}

TEST(RunFamily, TabulatesASweepFolderFromSummariesOnly) {
  testing::ScratchDir dir;
  std::filesystem::create_directories(dir.file("runs"));
  auto write = [&](const std::string& id, const std::string& model, const std::string& encoder,
                   int64_t k, int64_t seed, double sse) {
    RunRecord r = full_record();
    r.run_id = id;
    r.config_yaml = "model: {name: " + model + ", latent_dim: " + std::to_string(k) +
                    "}\nencoder: {name: " + encoder + "}\ndecoder: {name: " + encoder +
                    "}\nseed: " + std::to_string(seed) + "\n";
    r.metrics["test"]["sse"] = sse;
    write_run_file(dir.file("runs/" + id + ".h5"), r);
  };
  write("a", "pca", "mlp", 2, 0, 30);
  write("b", "ae", "linear", 2, 0, 31);
  write("c", "ae", "linear", 2, 1, 33);
  write("d", "ae", "mlp", 2, 0, 25);
  // Written before model presets (every config then had an mlp encoder section): a cell pools
  // them with the new runs of their family, and its title says which keys differ.
  write("e", "linear", "mlp", 2, 2, 32);
  write("f", "mlp", "mlp", 4, 0, 20);
  std::vector<RunRecord> runs = read_results(dir.path());
  ASSERT_EQ(runs.size(), 6u);
  for (const auto& run : runs) {
    EXPECT_TRUE(run.images.empty() && run.arrays.empty() && run.model_state.empty());
    EXPECT_EQ(run.choices.at("model"), "conv_ae");
  }
  TableSpec spec{"model.latent_dim", "family", {"test/sse"}, "md", 4};
  EXPECT_EQ(make_table(runs, spec),
            "test/sse (mean ± std over seeds and over decoder.name, encoder.name, model.name, "
            "which differ within cells; 1 to 3 runs per cell)\n\n"
            "| model.latent_dim | linear       | mlp | pca |\n"
            "|------------------|-------------:|----:|----:|\n"
            "| 2                | 32.00 ± 1.00 | 25  | 30  |\n"
            "| 4                |              | 20  |     |\n");
}

}  // namespace
}  // namespace aelab
