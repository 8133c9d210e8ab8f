// Run files, the summary index and paper tables.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "framework/core/error.h"
#include "framework/results/hdf5_file.h"
#include "framework/results/result_table.h"
#include "framework/results/run_record.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

RunRecord record(const std::string& id, const std::string& model, int64_t k, int64_t seed,
                 double sse, const std::string& status = "completed") {
  RunRecord r;
  r.run_id = id;
  r.config_yaml = "model:\n  name: " + model + "\n  latent_dim: " + std::to_string(k) +
                  "\nseed: " + std::to_string(seed) + "\n";
  r.status = status;
  r.seed = seed;
  r.metrics["test"]["sse"] = sse;
  r.baselines["pca"]["test"]["sse"] = sse + 1;
  return r;
}

TEST(RunFile, RoundTripsEveryField) {
  testing::ScratchDir dir;
  RunRecord r = record("abc", "mlp", 8, 1, 12.5);
  r.overrides = "model.latent_dim=8";
  r.wall_seconds = 3.5;
  r.history["val"]["mse"] = {0.3, 0.2};
  r.images["reconstructions"] = ImageArray{{1, 2, 3, 4}, {1, 1, 2, 2}};
  std::string path = dir.file("abc.h5");
  write_run_file(path, r);
  RunRecord back = read_run_file(path);
  EXPECT_EQ(back.config_yaml, r.config_yaml);
  EXPECT_EQ(back.overrides, r.overrides);
  EXPECT_EQ(back.seed, 1);
  EXPECT_DOUBLE_EQ(back.wall_seconds, 3.5);
  EXPECT_EQ(back.history, r.history);
  EXPECT_EQ(back.metrics, r.metrics);
  EXPECT_EQ(back.baselines, r.baselines);
  ASSERT_EQ(back.images.size(), 1u);
  EXPECT_EQ(back.images.at("reconstructions").pixels, r.images.at("reconstructions").pixels);
  EXPECT_EQ(back.images.at("reconstructions").shape, r.images.at("reconstructions").shape);
  EXPECT_EQ(run_file_status(path), "completed");
  EXPECT_EQ(run_file_status(dir.file("missing.h5")), "");
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename(), "abc.h5") << "a temporary file was left behind";
}

/// The file at `path` with `byte` at `at` (negative: from its end).
void write_byte(const std::string& path, std::streamoff at, char byte) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(at, at < 0 ? std::ios::end : std::ios::beg);
  file.put(byte);
}

TEST(RunFile, AFileChangedSinceItsSealIsReadInAChildFirst) {
  testing::ScratchDir dir;
  const std::string path = dir.file("abc.h5");
  write_run_file(path, record("abc", "mlp", 8, 1, 12.5));
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  // Changed where HDF5 reads it fine (as h5py adding an attribute would): read as before.
  write_byte(path, -1, '\x5a');
  EXPECT_EQ(read_run_file(path).metrics.at("test").at("sse"), 12.5);
  // A zeroed global heap, on which libhdf5 1.10 loops forever: the child that reads it apart
  // is stopped, and the file is damaged.
  const size_t heap = bytes.find("GCOL");
  ASSERT_NE(heap, std::string::npos);
  write_run_file(path, record("abc", "mlp", 8, 1, 12.5));
  for (size_t at = heap + 16; at < heap + 80; ++at)
    write_byte(path, static_cast<std::streamoff>(at), '\0');
  setenv("AELAB_HDF5_PROBE_SECONDS", "1", /*overwrite=*/1);  // 30 s for a user
  const std::string message = testing::message_of<DataError>([&] { read_run_file(path); });
  unsetenv("AELAB_HDF5_PROBE_SECONDS");
  EXPECT_NE(message.find(path + ": damaged: its checksum does not match its contents, and HDF5 "
                                "was still reading it after 1 s"),
            std::string::npos)
      << message;
  const auto again = std::chrono::steady_clock::now();  // the verdict is kept: no second wait
  EXPECT_THROW(read_run_summary(path), DataError);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - again).count(), 0.9);
  // A file without a seal (written before seals) is read as before.
  write_run_file(path, record("abc", "mlp", 8, 1, 12.5));
  for (std::streamoff at = 0; at < 64; ++at) write_byte(path, at, '\0');
  EXPECT_EQ(read_run_file(path).metrics.at("test").at("sse"), 12.5);
}

TEST(RunFile, FailedWriteLeavesNothing) {
  testing::ScratchDir dir;
  EXPECT_THROW(write_hdf5_atomically(dir.file("x.h5"), [](Hdf5File&) { throw Error("boom"); }),
               Error);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(Summary, LinksEveryRunFile) {
  testing::ScratchDir dir;
  std::filesystem::create_directories(dir.file("runs"));
  write_run_file(dir.file("runs/aaa.h5"), record("aaa", "pca", 2, 0, 10));
  write_run_file(dir.file("runs/bbb.h5"), record("bbb", "mlp", 2, 0, 9));
  write_summary(dir.path(), "demo");
  Hdf5File summary = Hdf5File::open_read(dir.file("summary.h5"));
  EXPECT_EQ(summary.members("/runs"), (std::vector<std::string>{"aaa", "bbb"}));
  EXPECT_EQ(summary.string_attribute("sweep").value_or(""), "demo");
  // Following the external link reaches the run's metrics.
  EXPECT_EQ(summary.read_doubles("/runs/bbb/metrics/test/sse").value_or(std::vector<double>{}),
            std::vector<double>{9});
}

TEST(Table, MeanAndStdOverSeedsInNumericRowOrder) {
  std::vector<RunRecord> runs = {record("1", "mlp", 8, 0, 10), record("2", "mlp", 8, 1, 12),
                                 record("3", "pca", 8, 0, 13), record("4", "mlp", 2, 0, 30),
                                 record("5", "pca", 2, 0, 31, "failed")};
  TableSpec spec{"model.latent_dim", "model.name", {"test/sse"}, "md", 4};
  EXPECT_EQ(make_table(runs, spec),
            "test/sse (mean ± std over 1 to 2 seeds)\n\n"
            "| model.latent_dim | mlp          | pca      |\n"
            "|------------------|-------------:|---------:|\n"
            "| 2                | 30.00        | 1 failed |\n"
            "| 8                | 11.00 ± 1.41 | 13       |\n");
  spec.format = "csv";
  // For pandas: centre, std and completed runs of each column at full precision, and what did
  // not complete where some run did not.
  EXPECT_EQ(make_table(runs, spec),
            "model.latent_dim,mlp test/sse,mlp test/sse std,mlp test/sse n,pca test/sse,"
            "pca test/sse std,pca test/sse n,pca test/sse not completed\n"
            "2,30,,1,,,0,1 failed\n8,11,1.4142135623730951,2,13,,1,\n");
  // One completed run in each cell, and one that did not complete: the caption says which.
  spec.format = "md";
  const std::vector<RunRecord> seed_0 = {runs[0], runs[2], runs[3], runs[4]};
  const std::string one_each = make_table(seed_0, spec);
  EXPECT_EQ(one_each.substr(0, one_each.find('\n')), "test/sse (one completed run per cell)");
  spec.format = "latex";
  EXPECT_NE(make_table(runs, spec).find("8 & 11.00 $\\pm$ 1.41 & 13 \\\\"), std::string::npos);
  spec.format = "md";
  spec.metrics = {"baseline/pca/test/sse"};
  EXPECT_NE(make_table(runs, spec).find("| 8                | 12.00 ± 1.41"), std::string::npos);
  spec.metrics = {"test/sne"};
  EXPECT_THROW(make_table(runs, spec), ConfigError);
  // A metric without its split, or in another case: the one meant.
  for (const std::string metric : {"sse", "SSE", "test/SSE"}) {
    spec.metrics = {metric};
    EXPECT_EQ(testing::message_of<ConfigError>([&] { make_table(runs, spec); }),
              "--metric " + metric + ": no completed run has it (did you mean 'test/sse'?" +
                  (metric == "test/SSE" ? "" : " metrics are SPLIT/NAME;") +
                  " known: baseline/pca/test/sse, test/sse)");
  }
}

TEST(Table, EqualValuesHaveExactlyTheirValueAndNoSpread) {
  // Three seeds of a deterministic model: 28.8 / 3 summed three times is 28.799999999999997,
  // whose spread (4e-15) would print as "± 0.00" in one row and not in another.
  std::vector<RunRecord> runs = {record("1", "pca", 4, 0, 28.8), record("2", "pca", 4, 1, 28.8),
                                 record("3", "pca", 4, 2, 28.8)};
  TableSpec spec{"model.latent_dim", "model.name", {"test/sse"}, "csv", 4};
  EXPECT_EQ(make_table(runs, spec),
            "model.latent_dim,pca test/sse,pca test/sse std,pca test/sse n\n4,28.8,0,3\n");
  spec.format = "md";
  EXPECT_NE(make_table(runs, spec).find("| 4                | 28.80 |"), std::string::npos)
      << make_table(runs, spec);
}

TEST(Table, MetricListsTrimSpacesAndRefuseEmptyNames) {
  EXPECT_EQ(split_metric_list("test/sse, val/mse "),
            (std::vector<std::string>{"test/sse", "val/mse"}));
  EXPECT_THROW(split_metric_list("test/sse,,val/mse"), ConfigError);
}

TEST(Table, ARunWhoseConfigCannotBeReadIsNamedByItsFile) {
  std::vector<RunRecord> runs = {record("1", "mlp", 8, 0, 10), record("bad", "mlp", 8, 1, 12)};
  runs[1].config_yaml = "model:\n  name: [mlp\n";
  TableSpec spec{"model.latent_dim", "model.name", {"test/sse"}, "md", 4};
  {
    const std::string message = testing::message_of<ConfigError>([&] { make_table(runs, spec); });
    EXPECT_EQ(message.rfind("runs/bad.h5 (config_yaml):", 0), 0u) << message;
  }
}

TEST(Table, SaysWhichKeysACellPoolsBesidesSeeds) {
  std::vector<RunRecord> runs = {record("1", "mlp", 8, 0, 10), record("2", "mlp", 8, 1, 12),
                                 record("3", "pca", 8, 0, 14)};
  TableSpec spec{"model.latent_dim", "model.name", {"test/sse"}, "md", 4};
  EXPECT_EQ(make_table(runs, spec).substr(0, 42), "test/sse (mean ± std over 1 to 2 seeds)\n\n");
  spec.cols = "";
  std::string pooled = make_table(runs, spec);
  EXPECT_EQ(pooled.substr(0, pooled.find('\n')),
            "test/sse (mean ± std over seeds and over model.name, which differ within cells; 3 "
            "runs per cell)");
  EXPECT_NE(pooled.find("| 8                | 12.00 ± 2.00"), std::string::npos) << pooled;
}

TEST(Table, SeveralMetricsGiveAColumnEach) {
  std::vector<RunRecord> runs = {record("1", "mlp", 8, 0, 10), record("2", "mlp", 2, 0, 30)};
  TableSpec spec{"model.latent_dim", "", split_metric_list("test/sse,baseline/pca/test/sse"), "csv",
                 4};
  EXPECT_EQ(make_table(runs, spec),
            "model.latent_dim,test/sse,test/sse std,test/sse n,baseline/pca/test/sse,"
            "baseline/pca/test/sse std,baseline/pca/test/sse n\n2,30,,1,31,,1\n8,10,,1,11,,1\n");
  spec.cols = "model.name";
  EXPECT_EQ(make_table(runs, spec).substr(0, 88),
            "model.latent_dim,mlp test/sse,mlp test/sse std,mlp test/sse n,mlp baseline/pca/test/"
            "sse,");
  spec.metrics = {"test/sse", "test/sne"};
  EXPECT_THROW(make_table(runs, spec), ConfigError);
}

TEST(Table, MeanRowAveragesTheRowsOfEachColumn) {
  std::vector<RunRecord> runs = {record("1", "mlp", 8, 0, 10), record("2", "mlp", 8, 1, 12),
                                 record("3", "mlp", 2, 0, 30), record("4", "pca", 2, 0, 31)};
  TableSpec spec{"model.latent_dim", "model.name", {"test/sse"}, "csv", 4};
  spec.mean_row = true;
  // mlp: the mean of the row means 30 and 11; pca lacks k=8, so it has no mean.
  EXPECT_EQ(make_table(runs, spec),
            "model.latent_dim,mlp test/sse,mlp test/sse std,mlp test/sse n,pca test/sse,"
            "pca test/sse std,pca test/sse n\n2,30,,1,31,,1\n"
            "8,11,1.4142135623730951,2,,,0\nmean,20.5,,,,,\n");
  // In LaTeX, a rule sets the mean apart from the rows it averages.
  spec.format = "latex";
  const std::string latex = make_table(runs, spec);
  EXPECT_NE(latex.find("\\\\\n\\midrule\nmean & "), std::string::npos) << latex;
  spec.format = "markdown";  // md's long name
  EXPECT_NE(make_table(runs, spec).find("| mean             | 20.50"), std::string::npos)
      << make_table(runs, spec);
  // Relative to a column, the mean row is the mean of the rows' ratios, and the title says so.
  spec.relative_to = "pca";
  const std::string relative = make_table(runs, spec);
  EXPECT_NE(relative.find("; relative to pca; mean row: the mean of the rows' ratios"),
            std::string::npos)
      << relative;
}

}  // namespace
}  // namespace aelab
