// run_sweep end to end on a small dataset the test writes: the HDF5 contents, resume without
// retraining, reproducibility, and bad input rejected before anything runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <sstream>

#include "framework/core/host.h"
#include "framework/core/yaml_io.h"
#include "framework/results/hdf5_file.h"
#include "framework/results/result_table.h"
#include "framework/results/results_folder.h"
#include "framework/results/run_record.h"
#include "framework/train/blas_kernels.h"
#include "tests/sweep/run_sweep_in_child.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

namespace fs = std::filesystem;

class SweepEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new testing::ScratchDir();
    testing::write_toy_idx_dataset(data_->path(), 300, 100, 8);
  }
  static void TearDownTestSuite() { delete data_; }

  testing::CommandResult sweep(const std::string& arguments, const std::string& environment = "") {
    return testing::run_sweep("--config-dir " + testing::project_configs() + " --out " +
                                  out_.file("results") + " data=idx data.root=" + data_->path() +
                                  " " + arguments,
                              environment + " AELAB_CACHE_DIR=" + out_.file("cache"));
  }

  /// make_table on this test's results folder (or `folder`), with `arguments`.
  testing::CommandResult table_of(const std::string& arguments, const std::string& folder = "") {
    return testing::run_command(testing::tool_path("make_table") + " " +
                                (folder.empty() ? out_.file("results") : folder) + " " + arguments);
  }

  std::vector<std::string> run_files() {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(out_.file("results/runs")))
      files.push_back(entry.path().filename().string());
    std::sort(files.begin(), files.end());
    return files;
  }

  /// Debian's h5py, from another working directory, follows summary.h5's links to every run.
  void expect_h5py_reads(const std::string& results, const std::vector<RunRecord>& runs) {
    if (testing::run_command("/usr/bin/python3 -c 'import h5py'").exit_code != 0)
      GTEST_SKIP() << "python3-h5py is not installed";
    std::string script =
        "import h5py\n"
        "with h5py.File('" +
        results +
        "/summary.h5', 'r') as f:\n"
        "    for run_id in sorted(f['runs']):\n"
        "        run = f['runs'][run_id]\n"
        "        print(run_id, run.attrs['status'], repr(float(run['metrics/test/sse'][()])))\n";
    std::string script_path = out_.write("read_results.py", script);
    auto result = testing::run_command("/usr/bin/python3 " + script_path, "/");
    ASSERT_EQ(result.exit_code, 0) << result.output;
    std::vector<RunRecord> sorted = runs;
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.run_id < b.run_id; });
    std::string expected;
    for (const auto& run : sorted)  // Python's repr and format_float are both shortest round-trip
      expected +=
          run.run_id + " completed " + format_float(run.metrics.at("test").at("sse")) + "\n";
    EXPECT_EQ(result.output, expected);
  }

  /// Every run of the results folder, read whole (tables read only summaries).
  std::vector<RunRecord> read_runs() {
    std::vector<RunRecord> runs;
    for (const auto& run : read_results(out_.file("results")))
      runs.push_back(read_run_file(out_.file("results/runs/" + run.run_id + ".h5")));
    return runs;
  }

  static testing::ScratchDir* data_;
  testing::ScratchDir out_;
};
testing::ScratchDir* SweepEndToEnd::data_ = nullptr;

TEST_F(SweepEndToEnd, RecordsEverythingAndResumesWithoutRetraining) {
  const std::string grid = "-c sweeps/bottleneck model.latent_dim=2,4 trainer.epochs=2 --quiet";
  auto first = sweep(grid);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("6 job(s): 6 completed, 0 diverged, 0 failed, 0 skipped"),
            std::string::npos)
      << first.output;
  // Each job's line names it by what it does not share with every job (the sweep's presets and
  // the command line's k; not trainer.epochs=2, which every job has).
  for (const std::string& varies :
       {"s)  model=pca model.latent_dim=2  [", "s)  model=mlp_ae model.latent_dim=4  ["})
    EXPECT_NE(first.output.find(varies), std::string::npos) << first.output;
  EXPECT_EQ(first.output.find("trainer.epochs=2  ["), std::string::npos) << first.output;
  auto files = run_files();
  ASSERT_EQ(files.size(), 6u);

  std::vector<RunRecord> runs = read_runs();
  for (const auto& run : runs) {
    EXPECT_EQ(run.status, "completed");
    EXPECT_EQ(run.run_id.size(), 12u);
    EXPECT_NE(run.config_yaml.find("latent_dim"), std::string::npos);
    EXPECT_FALSE(run.torch_version.empty());
    EXPECT_EQ(run.blas, blas_kernels());  // the workers' BLAS is this process's
    EXPECT_FALSE(run.git_commit.empty());
    EXPECT_EQ(run.host, host_name());
    EXPECT_TRUE(std::regex_match(run.written_at, std::regex(R"(20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
        << run.written_at;
    EXPECT_EQ(run.device, "cpu");
    for (const char* split : {"train", "val", "test"})
      for (const char* metric : {"mse", "sse", "psnr"}) {
        EXPECT_TRUE(run.metrics.at(split).count(metric)) << split << "/" << metric;
        EXPECT_TRUE(run.baselines.at("pca").at(split).count(metric));
      }
    ConfigNode config = parse_yaml(run.config_yaml, run.run_id);
    std::string model = config.find("model.name")->as_string();
    if (model == "pca") {
      EXPECT_DOUBLE_EQ(run.metrics.at("test").at("sse"),
                       run.baselines.at("pca").at("test").at("sse"));
      EXPECT_EQ(config.get("trainer"), nullptr) << "pca reads no trainer section";
    } else {
      EXPECT_EQ(run.history.at("val").at("sse").size(), 2u);
      EXPECT_EQ(run.history.at("train").at("loss").size(), 2u);
    }
    EXPECT_EQ(config.get("encoder") != nullptr, model == "ae");
    EXPECT_EQ(config.get("objective") != nullptr, model == "ae");
    EXPECT_EQ(run.choices.at("model"),
              model == "pca" ? "pca" : config.find("encoder.name")->as_string() + "_ae");
  }
  Hdf5File summary = Hdf5File::open_read(out_.file("results/summary.h5"));
  EXPECT_EQ(summary.members("/runs").size(), 6u);
  expect_h5py_reads(out_.file("results"), runs);

  auto stamp = fs::last_write_time(out_.file("results/runs/" + files[0]));
  auto second = sweep(grid);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("every run is done (6 skipped)"), std::string::npos)
      << second.output;
  EXPECT_EQ(fs::last_write_time(out_.file("results/runs/" + files[0])), stamp);

  auto table = table_of("--rows model.latent_dim --cols family --metric test/sse");
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_NE(table.output.find("test/sse (one run per cell; best per row in bold)"),
            std::string::npos)
      << table.output;
  EXPECT_NE(table.output.find("| model.latent_dim | linear"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("| mlp"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("| pca"), std::string::npos) << table.output;
}

TEST_F(SweepEndToEnd, SameConfigAndSeedGiveIdenticalNumbers) {
  // The VAE draws noise in training, in its Monte Carlo KL and in every likelihood metric.
  for (const std::string arguments :
       {"model.latent_dim=3", "model.name=vae prior=vamp noise=masking eval.is_samples=5"}) {
    auto first = sweep(arguments + " trainer.epochs=1 --quiet");
    ASSERT_EQ(first.exit_code, 0) << first.output;
    RunRecord a = read_runs()[0];
    fs::remove_all(out_.file("results"));
    auto second = sweep(arguments + " trainer.epochs=1 --quiet");
    ASSERT_EQ(second.exit_code, 0) << second.output;
    RunRecord b = read_runs()[0];
    fs::remove_all(out_.file("results"));
    EXPECT_EQ(a.run_id, b.run_id) << arguments;
    EXPECT_EQ(a.metrics, b.metrics) << arguments;
    EXPECT_EQ(a.history, b.history) << arguments;
  }
}

TEST_F(SweepEndToEnd, DenoisingRunsRecordDenoisingMetrics) {
  auto result =
      sweep("model.latent_dim=4 noise=gaussian,masking,salt_pepper trainer.epochs=3 --quiet");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::vector<RunRecord> runs = read_runs();
  ASSERT_EQ(runs.size(), 3u);
  for (const auto& run : runs) {
    const auto& test = run.metrics.at("test");
    for (const char* metric : {"denoise_mse", "denoise_psnr", "noisy_psnr", "mse"})
      EXPECT_TRUE(test.count(metric)) << metric << " in " << run.config_yaml;
    EXPECT_TRUE(run.baselines.at("pca").at("test").count("denoise_psnr"));
    EXPECT_NE(run.config_yaml.find("noise:"), std::string::npos);
    // Every epoch scores the outputs from the corrupted validation inputs, beside the clean ones.
    const auto& val = run.history.at("val");
    ASSERT_EQ(val.at("denoise_psnr").size(), 3u);
    EXPECT_NE(val.at("denoise_psnr"), val.at("psnr"));
    EXPECT_TRUE(std::isfinite(val.at("denoise_psnr").back()));
    // The figures' rows: PCA from the same corrupted inputs, beside its clean reconstructions.
    ASSERT_TRUE(run.images.count("pca_denoised") && run.images.count("pca_reconstructions"));
    EXPECT_EQ(run.images.at("pca_denoised").shape, run.images.at("noisy_inputs").shape);
    EXPECT_NE(run.images.at("pca_denoised").pixels, run.images.at("pca_reconstructions").pixels);
  }
}

TEST_F(SweepEndToEnd, VaePriorsAreComparedInOneTable) {
  auto result = sweep(
      "model.name=vae prior=normal,mog,vamp model.latent_dim=2 "
      "trainer.epochs=2 eval.is_samples=50 --quiet");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::vector<RunRecord> runs = read_runs();
  ASSERT_EQ(runs.size(), 3u);
  for (const auto& run : runs) {
    ASSERT_EQ(run.status, "completed") << run.error;
    const auto& test = run.metrics.at("test");
    for (const char* metric : {"elbo", "recon", "kl", "active_units", "nll_is", "sse"})
      EXPECT_TRUE(test.count(metric)) << metric;
    EXPECT_TRUE(std::isfinite(test.at("nll_is")));
    EXPECT_LE(test.at("nll_is"), -test.at("elbo")) << "the importance-sampled bound is tighter";
    EXPECT_NEAR(test.at("elbo"), -(test.at("recon") + test.at("kl")), 1e-9);
    EXPECT_LE(test.at("active_units"), 2);
    EXPECT_EQ(run.history.at("val").at("elbo").size(), 2u);
    EXPECT_EQ(run.history.at("val").at("sse").size(), 2u);
    EXPECT_EQ(run.images.at("samples").shape, (std::vector<uint64_t>{16, 1, 8, 8}));
    EXPECT_EQ(run.images.at("interpolations").shape, (std::vector<uint64_t>{4, 10, 1, 8, 8}));
    EXPECT_EQ(run.images.at("reconstructions").shape, (std::vector<uint64_t>{16, 1, 8, 8}));
    // Each interpolation starts at the first image's reconstruction and ends at the second's.
    const auto& path = run.images.at("interpolations").pixels;
    const auto& reconstructions = run.images.at("reconstructions").pixels;
    for (int pixel = 0; pixel < 64; ++pixel) {
      EXPECT_LE(std::abs(path[pixel] - reconstructions[pixel]), 1);
      EXPECT_LE(std::abs(path[9 * 64 + pixel] - reconstructions[64 + pixel]), 1);
    }
  }
  auto table = table_of(
      "--rows prior.name --cols '' --metric "
      "test/nll_is,test/elbo,test/active_units");
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_NE(table.output.find("| prior.name | test/nll_is | test/elbo"), std::string::npos)
      << table.output;
  for (const char* prior : {"| mog ", "| normal ", "| vamp "})
    EXPECT_NE(table.output.find(prior), std::string::npos) << table.output;
  // One column per metric: each metric's best prior is bold, but not of the active units, a
  // count with no better end.
  EXPECT_NE(table.output.find("best per column in bold"), std::string::npos) << table.output;
  EXPECT_GE(std::count(table.output.begin(), table.output.end(), '*'), 2 * 4) << table.output;
  std::istringstream lines(table.output);
  int prior_rows = 0;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("| mog ", 0) == 0 || line.rfind("| normal ", 0) == 0 ||
        line.rfind("| vamp ", 0) == 0) {
      ++prior_rows;
      const size_t last_cell = line.rfind('|', line.size() - 2);  // test/active_units
      EXPECT_EQ(line.find('*', last_cell), std::string::npos) << line;
    }
  EXPECT_EQ(prior_rows, 3) << table.output;
  // --better for a metric the table does not show would change nothing: said, not ignored.
  auto better = table_of("--metric test/nll_is,test/elbo --better test/elbos=higher");
  EXPECT_EQ(better.exit_code, 2) << better.output;
  EXPECT_EQ(better.error,
            "error: --better test/elbos=higher: the table shows test/nll_is, test/elbo, not "
            "test/elbos (did you mean --better test/elbo=higher?)\n");
  better = table_of("--better test/kl=lower");
  EXPECT_EQ(better.exit_code, 2) << better.output;
  EXPECT_EQ(better.error,
            "error: --better test/kl=lower: the table shows test/nll_is (its default metric), not "
            "test/kl (--better applies to the table's metrics: add it to --metric)\n");
}

TEST_F(SweepEndToEnd, APcaBaselineWithFewerComponentsThanKSaysSo) {
  // 20 training images have at most 20 components: a baseline at k=32 cannot be had.
  const std::string grid = "model=linear_ae model.latent_dim=8,32 data.subset=20 trainer.epochs=1";
  const std::string warning = "warning: the PCA baseline uses all";
  auto check = sweep(grid + " --check");  // says so before any run
  ASSERT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.error.find(warning), std::string::npos) << check.output;
  EXPECT_NE(check.error.find("fewer than model.latent_dim=32"), std::string::npos) << check.output;
  auto result = sweep(grid);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::vector<RunRecord> runs = read_runs();
  ASSERT_EQ(runs.size(), 2u);
  for (const RunRecord& run : runs) {
    const bool above_rank = run.config_yaml.find("latent_dim: 32") != std::string::npos;
    EXPECT_EQ(run.notes.count("baseline_pca"), above_rank ? 1u : 0u) << run.config_yaml;
    if (above_rank)
      EXPECT_NE(run.notes.at("baseline_pca").find("fewer than model.latent_dim=32"),
                std::string::npos)
          << run.notes.at("baseline_pca");
  }
  const size_t first = result.error.find(warning);
  EXPECT_NE(first, std::string::npos) << result.output;
  EXPECT_EQ(result.error.find(warning, first + 1), std::string::npos) << result.output;
}

TEST_F(SweepEndToEnd, AnOvercompleteCodeIsSaidToBeOne) {
  // The toy images have 64 pixels: a code of 100 can hold them, and PCA at 64 is exact.
  auto check = sweep("model=mlp_ae model.latent_dim=100 --check");
  ASSERT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(
      check.error.find("warning: model.latent_dim=100 is more than the 64 values of a sample: "
                       "the code can hold the input itself (an overcomplete autoencoder)"),
      std::string::npos)
      << check.output;
  EXPECT_EQ(check.error.find("more training data"), std::string::npos) << check.output;
}

TEST_F(SweepEndToEnd, ADamagedPcaCacheIsFittedAgain) {
  auto first = sweep("model=pca model.latent_dim=2");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  std::vector<std::string> caches;
  for (const auto& entry : fs::directory_iterator(out_.file("cache")))
    if (entry.path().filename().string().rfind("pca-", 0) == 0) caches.push_back(entry.path());
  ASSERT_EQ(caches.size(), 1u);
  testing::ScratchDir::write_file(caches[0], "cut short");  // a disk that filled up, say
  auto again = sweep("model=pca model.latent_dim=3");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.error.find("warning: " + caches[0] +
                             ": not a readable HDF5 file; it is only a cache: the PCA basis is "
                             "fitted again"),
            std::string::npos)
      << again.output;
  EXPECT_GT(fs::file_size(caches[0]), 100u);  // replaced by the basis fitted again
  auto third = sweep("model=pca model.latent_dim=4");
  ASSERT_EQ(third.exit_code, 0) << third.output;
  EXPECT_NE(third.output.find("PCA basis from cache"), std::string::npos) << third.output;
}

TEST_F(SweepEndToEnd, DataFilesReplacedUnderTheSameRootAreNotTakenForTheOldOnes) {
  // A folder of one's own data, written two ways (relative, with a trailing '/'): one run, its
  // config naming the folder in full.
  testing::ScratchDir mine;
  testing::write_toy_idx_dataset(mine.file("items"), 300, 100, 8, /*seed=*/1);
  auto mine_sweep = [&](const std::string& root, const std::string& results) {
    return testing::run_sweep("--config-dir " + testing::project_configs() + " --out " +
                                  out_.file(results) + " data=idx data.root=" + root +
                                  " model=pca model.latent_dim=2",
                              "AELAB_CACHE_DIR=" + out_.file("cache"), mine.path());
  };
  auto first = mine_sweep("items/", "results");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("PCA basis fitted"), std::string::npos) << first.output;
  const std::vector<RunRecord> before = read_runs();
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(parse_yaml(before[0].config_yaml, "run").find("data.root")->as_string(),
            mine.file("items"));
  auto same = mine_sweep(mine.file("items"), "results");
  EXPECT_NE(same.output.find("every run is done (1 skipped)"), std::string::npos) << same.output;
  // Other images under the same folder: another PCA basis, fitted afresh.
  testing::write_toy_idx_dataset(mine.file("items"), 300, 100, 8, /*seed=*/2);
  auto replaced = mine_sweep("items", "again");
  ASSERT_EQ(replaced.exit_code, 0) << replaced.output;
  EXPECT_NE(replaced.output.find("PCA basis fitted"), std::string::npos) << replaced.output;
  const RunRecord after = read_run_file(out_.file("again/runs/" + before[0].run_id + ".h5"));
  EXPECT_NE(after.metrics.at("test").at("sse"), before[0].metrics.at("test").at("sse"));
}

TEST_F(SweepEndToEnd, ALongJobShowsWhereTheSweepStands) {
  // The runner looks at its workers five times a second: a job of some seconds shows its line.
  auto result = sweep("model=mlp_ae trainer.epochs=200 --progress-every 0.1");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("\nrunning #0 epoch "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("/200  [0/1 done"), std::string::npos) << result.output;
}

TEST_F(SweepEndToEnd, DivergedRunsAreRecordedAndTheSweepGoesOn) {
  auto result =
      sweep("model=linear_ae model.latent_dim=2 trainer.lr=1e30,1e-3 trainer.epochs=2 --quiet");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("1 completed, 1 diverged, 0 failed"), std::string::npos)
      << result.output;
  // Its line names it by the value that sets it apart.
  EXPECT_NE(result.output.find("(try a lower trainer.lr)  trainer.lr=1e+30  ["), std::string::npos)
      << result.output;
  // A table of the diverged run alone has nothing to show, whatever the metric: it says so.
  auto table = table_of("--where trainer.lr=1e30");
  EXPECT_EQ(table.exit_code, 2) << table.output;
  EXPECT_EQ(table.error,
            "error: no run of the table has completed (1 diverged: run_sweep --status on its "
            "folder says why)\n");
  // Nor does a folder of no completed run, with no --metric to choose a headline by.
  testing::ScratchDir failed;
  ASSERT_EQ(testing::run_sweep("--config-dir " + testing::project_configs() + " --quiet --out " +
                                   failed.file("r") + " data=idx data.root=" + data_->path() +
                                   " model=linear_ae model.latent_dim=2 trainer.lr=1e30 "
                                   "trainer.epochs=1",
                               "AELAB_CACHE_DIR=" + out_.file("cache"))
                .exit_code,
            0);
  auto nothing = table_of("", failed.file("r"));
  EXPECT_EQ(nothing.error,
            "error: no run of the table has completed (1 diverged: run_sweep --status on its "
            "folder says why)\n");
}

TEST_F(SweepEndToEnd, BadInputIsOneErrorLineWithExitCode2AndNothingWritten) {
  struct Case {
    std::string arguments, message;
  };
  const std::vector<Case> cases = {
      // A space the shell split an override at: the override as meant.
      {"model.latent_dim= 4",
       "error: override 'model.latent_dim=' '4': a space split one override into 2 words; write "
       "model.latent_dim=4 (no spaces in an override)\n"},
      {"model.latent_dim =4",
       "error: override 'model.latent_dim' '=4': a space split one override into 2 words; write "
       "model.latent_dim=4 (no spaces in an override)\n"},
      {"model.latent_dim=2, 4",
       "error: override 'model.latent_dim=2,' '4': a space split one override into 2 words; "
       "write model.latent_dim=2,4 (no spaces in an override)\n"},
      {"model.latent_dim = 4",
       "error: override 'model.latent_dim' '=' '4': a space split one override into 3 words; "
       "write model.latent_dim=4 (no spaces in an override)\n"},
      {"model.latent_dimm=3",
       "error: override 'model.latent_dimm=3': model.latent_dimm: no such key "
       "in the config (did you mean 'model.latent_dim'?)\n"},
      // A key the section's plugin does not take: its options, not a `+` that fails next.
      {"noise=gaussian noise.std=0.1",
       "error: override 'noise.std=0.1': noise.std: no such key in the config (noise 'gaussian' "
       "takes sigma)\n"},
      {"sweeps=bottleneck",
       "error: override 'sweeps=bottleneck': sweeps/ holds primary configs, not options of a "
       "config group (give one with -c sweeps/bottleneck)\n"},
      // An option of another plugin than the one chosen: the plugins that take it.
      {"noise.sigma=2",
       "error: override 'noise.sigma=2': noise.sigma: no such key in the config (noise 'none' "
       "takes "
       "no options; sigma is an option of noise=gaussian: choose it, as in noise=gaussian "
       "noise.sigma=2; a sweep over several: '++noise.sigma=2' reaches those that take it)\n"},
      // ... beside a near key of another section, either may be meant.
      {"model=conv_ae model.skips=true",
       "error: override 'model.skips=true': model.skips: no such key in the config (did you mean "
       "'decoder.skips'? skips is also an option of model=segmenter)\n"},
      // A dataset is chosen for its data: which take the option, and no advice to choose one.
      {"data=fashion_mosaic data.test_subset=5",
       "error: override 'data.test_subset=5': data.test_subset: no such key in the config (data "
       "'fashion_mosaic' takes root, train_mosaics, test_mosaics, canvas, jitter, ink_threshold, "
       "colour, mosaic_seed, val_fraction, split_seed; test_subset is an option of data=cifar10 "
       "and data=fashion_mnist and data=idx and data=mnist)\n"},
      {"model.skips=true",
       "error: override 'model.skips=true': model.skips: no such key in the config (model 'ae' "
       "takes latent_dim; skips is an option of model=segmenter: choose it, as in "
       "model=segmenter model.skips=true; a sweep over several: '++model.skips=true' reaches "
       "those that take it)\n"},
      // A prior's option for a model that reads no prior: choosing a prior would not help.
      {"model=mlp_ae prior.components=5",
       "error: override 'prior.components=5': prior.components: no such key in the config (only "
       "a VAE reads the prior, and this job's model.name is ae: set model=vae, or leave prior "
       "options out)\n"},
      // A segmenter where no experiment reads its score maps.
      {"model=segmenter",
       "error: " + testing::project_configs() +
           "/model/segmenter.yaml:8:7: model.name: model=segmenter gives a score map per class, "
           "which experiment=reconstruction does not read (use experiment=segmentation, or an "
           "autoencoder such as model=conv_ae)\n"},
      {"launcher.partition=gpu",
       "error: override 'launcher.partition=gpu': launcher.partition: no such key in the config "
       "(launcher 'local' takes jobs, devices, jobs_per_device, stack, fork_workers; partition is "
       "an "
       "option of launcher=slurm: choose it, as in launcher=slurm launcher.partition=gpu)\n"},
      {"trainer.lrr=0.1",
       "error: override 'trainer.lrr=0.1': trainer.lrr: no such key in the config (did you mean "
       "'trainer.lr'?)\n"},
      {"encoder=mpl",
       "error: override 'encoder=mpl': encoder: no option 'mpl' in group 'encoder' "
       "(did you mean 'mlp'? known: conv, linear, mlp, mlp_hinton)\n"},
      {"model.name=mpl",
       "error: override 'model.name=mpl': model.name: unknown model 'mpl' (known: ae, pca, "
       "segmenter, vae)\n"},
      {"model=mpl_ae",
       "error: override 'model=mpl_ae': model: no option 'mpl_ae' in group 'model' (did you "
       "mean 'mlp_ae'? known: ae, conv_ae, hinton_ae, linear_ae, mlp_ae, mlp_ae_real, pca, "
       "segmenter, vae)\n"},
      {"model.name=mlp",
       "error: override 'model.name=mlp': model.name: 'mlp' is now the preset model=mlp_ae "
       "(model.name=ae with mlp encoder and decoder)\n"},
      {"model=mlp_ae objective.loss=bce decoder.output=relu",
       "error: override 'decoder.output=relu': decoder.output: objective.loss=bce needs pixel "
       "probabilities, but decoder 'mlp' ends in relu (set decoder.output=sigmoid, or "
       "objective.loss=mse)\n"},
      {"'~trainer'",
       "error: override '~trainer': trainer: this job reads it (leave the override out, or set "
       "it with trainer=VALUE)\n"},
      {"'~seed'",
       "error: override '~seed': seed: this job reads it (leave the override out, or set it "
       "with seed=VALUE)\n"},
      {"encoder.hiden=[3]",
       "error: override 'encoder.hiden=[3]': encoder.hiden: no such key in the "
       "config (did you mean 'encoder.hidden'?)\n"},
      {"+encoder.hiden=[3]",
       "error: override '+encoder.hiden=[3]': encoder.hiden: unknown option "
       "for encoder 'mlp' (did you mean 'hidden'? known: hidden, activation)\n"},
      {"trainer.lr=fast",
       "error: override 'trainer.lr=fast': trainer.lr: expected a number, got "
       "string 'fast' (for example 0.001)\n"},
      {"trainer.lr=",
       "error: override 'trainer.lr=': trainer.lr: expected a number, got an empty value (for "
       "example 0.001)\n"},
      {"seed=-3",
       "error: override 'seed=-3': seed: expected an int >= 0, got int '-3' (for example 0)\n"},
      {"device=gpu",
       "error: override 'device=gpu': device: expected auto, cpu, cuda or cuda:N, got 'gpu'\n"},
      {"model.latent_dim=[1",
       "error: override 'model.latent_dim=[1': expected ']' before the end at "
       "column 20\n"},
      {"model.latent_dim=2,,4",
       "error: override 'model.latent_dim=2,,4': expected a value before this comma at column "
       "20\n"},
      {"encoder.hidden=[1,]",
       "error: override 'encoder.hidden=[1,]': expected a value before ']' (a comma too many?) "
       "at column 19\n"},
      {"--jobs two", "error: --jobs 'two': give a whole number (see run_sweep --help)\n"},
      {"-j 1.5", "error: --jobs '1.5': give a whole number (see run_sweep --help)\n"},
      {"model=conv_ae encoder.channels=[]",
       "error: override 'encoder.channels=[]': encoder.channels: expected one value or more, each "
       ">= 1, got '[]' (for example [32, 64], the default)\n"},
      {"~noise=gaussian",
       "error: override '~noise=gaussian': noise is 'none', not 'gaussian', so it was not deleted "
       "(~noise deletes whatever it is)\n"},
      {"--jobz 2",
       "error: unrecognised option '--jobz' (did you mean --jobs? see run_sweep --help)\n"},
      {"encoder.hidden=[128,32] decoder.hidden.0=64",
       "error: override 'decoder.hidden.0=64': decoder.hidden is mirror (the encoder's list "
       "reversed, now [32, 128]), which has no item '0' to set; give the whole list, as in "
       "decoder.hidden=[...]\n"},
      {"data.subset=5000",
       "error: override 'data.subset=5000': data.subset: 5000 is more than the 300 training images "
       "in " +
           data_->path() + " (lower it, or null for all)\n"},
      {"model.name=vae encoder=linear",
       "error: " + testing::project_configs() +
           "/decoder/linear.yaml:1:1: decoder: model.likelihood=bernoulli needs pixel "
           "probabilities, but decoder 'linear' has no output activation (use a decoder that ends "
           "in a sigmoid, such as decoder=mlp, or model.likelihood=gaussian)\n"},
      {"model.name=vae decoder.output=relu",
       "error: override 'decoder.output=relu': decoder.output: model.likelihood=bernoulli needs "
       "pixel probabilities, but decoder 'mlp' ends in relu (set decoder.output=sigmoid, or "
       "model.likelihood=gaussian)\n"},
      {"model.name=vae encoder=conv decoder=conv decoder.skips=true",
       "error: override 'decoder.skips=true': decoder.skips: a VAE's decoder sees an image only "
       "through its code z (so that its ELBO and IS-NLL bound log p(x)); skip connections would "
       "pass the image around it (use decoder.skips=false, or model=conv_ae for an autoencoder "
       "with skips)\n"},
      {"model.name=vae eval.is_samples=-1",
       "error: override 'eval.is_samples=-1': eval.is_samples: expected a value >= 0, got "
       "'-1' (for example 1000, the default)\n"},
      // An experiment and a model that do not go together: where the model is chosen.
      {"experiment=segmentation",
       "error: " + testing::project_configs() +
           "/model/mlp_ae.yaml:6:7: model.name: experiment=segmentation trains a segmenter (a "
           "score map per class), and the model is ae (use model=segmenter)\n"},
      {"experiment=transfer model=pca",
       "error: " + testing::project_configs() +
           "/model/pca.yaml:2:7: model.name: transfer learning fine-tunes an encoder, and pca has "
           "none to train (PCA codes are the pca baseline already; use model=conv_ae, mlp_ae or "
           "vae)\n"},
      {"launcher=slurm --threads 4",
       "error: --threads 4 is more than launcher.cpus_per_task=1: each task's threads would share "
       "its CPUs (set launcher.cpus_per_task=4, which also sets the threads)\n"},
      // Slurm settings sbatch would refuse, or that could not work, before anything is written.
      {"launcher=slurm launcher.mem=4X",
       "error: override 'launcher.mem=4X': launcher.mem: expected a memory size sbatch reads (a "
       "whole number of megabytes, or one with K, M, G or T: 4G, 500M), got '4X'\n"},
      {"launcher=slurm launcher.mem=4",
       "error: override 'launcher.mem=4': launcher.mem: expected a memory size sbatch reads (a "
       "whole number of megabytes, or one with K, M, G or T: 4G, 500M), got '4' (4 alone is 4 "
       "megabytes to sbatch, too little for a task: 4G for gigabytes)\n"},
      {"launcher=slurm 'launcher.partition=gpu cpu'",
       "error: override 'launcher.partition=gpu cpu': launcher.partition: expected a partition "
       "name, or several separated by commas (gpu,cpu), got 'gpu cpu'\n"},
      {"launcher=slurm launcher.gpus=1 'launcher.sbatch_lines=[\"--gres=gpu:2\"]'",
       "error: launcher.sbatch_lines: '--gres=gpu:2' asks for GPUs beside launcher.gpus=1 (ask "
       "once: launcher.gpus=N alone, or the line alone with launcher.gpus=0)\n"},
      {"launcher=slurm 'launcher.sbatch_lines=[\"--array=0-3\"]'",
       "error: override 'launcher.sbatch_lines=[\"--array=0-3\"]': launcher.sbatch_lines: "
       "expected sbatch options as on its command line, other than those the launcher writes, "
       "got '[--array=0-3]' ('--array=0-3' sets --array, which the launcher writes itself: the "
       "array is the sweep's pending jobs; launcher.array_parallelism=N runs N at once)\n"},
      {"launcher=slurm 'launcher.sbatch_lines=[--account=lab]'",
       "error: override 'launcher.sbatch_lines=[--account=lab]': expected ']', got '=' at column "
       "33 (a value that holds '=' is quoted: write 'launcher.sbatch_lines=[\"--account=lab\"]', "
       "in single quotes on a command line)\n"},
      {"launcher=slurm launcher.time_minutes=1",
       "error: launcher.signal_seconds=120 is not below the time limit of "
       "launcher.time_minutes=1 (60 s): each task would be told to checkpoint and requeue before "
       "it ran (lower launcher.signal_seconds, or raise launcher.time_minutes)\n"},
      {"launcher=slurm launcher.signal_seconds=70000 launcher.time_minutes=2000",
       "error: launcher.signal_seconds=70000: Slurm signals at most 65535 seconds before the time "
       "limit (lower launcher.signal_seconds; a few minutes are enough to checkpoint)\n"},
      {"launcher=slurm 'launcher.sbatch_lines=[account]'",
       "error: override 'launcher.sbatch_lines=[account]': launcher.sbatch_lines: expected sbatch "
       "options as on its command line, other than those the launcher writes, got '[account]' "
       "('account' is not an option: write it as on sbatch's command line, such as "
       "--account=lab)\n"},
      {"launcher=slurm 'launcher.sbatch_lines=[\"time=5\"]'",
       "error: override 'launcher.sbatch_lines=[\"time=5\"]': launcher.sbatch_lines: expected "
       "sbatch options as on its command line, other than those the launcher writes, got "
       "'[time=5]' ('time=5' is not an option: sbatch's command line writes it --time=5, and "
       "'--time=5' sets --time, which the launcher writes itself: set launcher.time_minutes)\n"},
      {"launcher=slurm 'launcher.sbatch_lines=[\"#lab\"]'",
       "error: override 'launcher.sbatch_lines=[\"#lab\"]': launcher.sbatch_lines: expected "
       "sbatch options as on its command line, other than those the launcher writes, got "
       "'[#lab]' ('#lab' is not an option: write it as on sbatch's command line, such as "
       "--account=lab)\n"},
      {"launcher=slurm 'launcher.setup=module load cuda'",
       "error: override 'launcher.setup=module load cuda': launcher.setup: expected a list of "
       "strings, got string 'module load cuda' (a list, even of one value: "
       "'launcher.setup=[\"module load cuda\"]')\n"},
      // A launcher option swept: named where it was set, with its values.
      {"launcher.stack=2,4 seed=0,1",
       "error: override 'launcher.stack=2,4': launcher.stack: 2 in one job and 4 in another, but "
       "every job of a sweep runs on the same launcher (give one value; for another, run the "
       "sweep again with it) [in job #2: data=idx data.root=" +
           data_->path() + " launcher.stack=4 seed=0]\n"},
      // Hydra's own options, out of habit.
      {"-cn sweeps/bottleneck",
       "error: -cn is Hydra's option: run_sweep takes -c NAME (a file, or a name under a config "
       "folder, such as -c sweeps/bottleneck)\n"},
      {"--config-path=mine",
       "error: --config-path is Hydra's option: run_sweep takes --config-dir FOLDER (your own "
       "config folder, searched before the project's)\n"},
      {"launcher=slurm --jobs 2",
       "error: --jobs 2: launcher=slurm runs each job as a task of its array, with no local "
       "workers (launcher.array_parallelism=N limits the tasks that run at once)\n"},
      // At the key's line, not the next key's, where YAML marks the empty value.
      {"-c " + out_.write("emptied.yaml", "defaults: [/config, _self_]\ntrainer:\nseed: 1\n"),
       "error: " + out_.file("emptied.yaml") +
           ":2:1: trainer: empty, which replaces all of its options (delete the line, or put "
           "options under it)\n"},
  };
  for (const auto& c : cases) {
    auto result = sweep(c.arguments);
    EXPECT_EQ(result.exit_code, 2) << c.arguments << "\n" << result.output;
    EXPECT_EQ(result.error, c.message) << c.arguments;
    EXPECT_FALSE(fs::exists(out_.file("results"))) << c.arguments << " wrote results";
  }
  // A dry run whose checks fail lists no job before its error: the error is all it says.
  auto dry = sweep(
      "launcher=slurm launcher.gpus=1 'launcher.sbatch_lines=[\"--gres=gpu:2\"]' "
      "--dry-run");
  EXPECT_EQ(dry.exit_code, 2) << dry.output;
  EXPECT_EQ(dry.output.find("#0 :"), std::string::npos) << dry.output;
  EXPECT_EQ(dry.error.rfind("error: launcher.sbatch_lines: '--gres=gpu:2' asks for GPUs", 0), 0u)
      << dry.error;
  // Partitions are one value with commas: a comma sweeps, and the error says how to quote.
  auto partitions = sweep("launcher=slurm launcher.partition=gpu,cpu --dry-run");
  EXPECT_NE(partitions.error.find("(give one value; a value holding commas is quoted: "
                                  "'launcher.partition=\"gpu,cpu\"'; for another"),
            std::string::npos)
      << partitions.error;
  // Without sbatch on PATH (a laptop before the cluster): a submission is refused, a dry run
  // shows the script with a warning.
  auto no_sbatch = sweep("launcher=slurm", "PATH=/nonexistent");
  EXPECT_EQ(no_sbatch.exit_code, 2);
  EXPECT_EQ(no_sbatch.error,
            "error: launcher=slurm: sbatch is not on PATH (run on a Slurm login node, or use "
            "launcher=local)\n");
  EXPECT_FALSE(fs::exists(out_.file("results")));
  auto preview = sweep("launcher=slurm --dry-run", "PATH=/nonexistent");
  EXPECT_EQ(preview.exit_code, 0) << preview.error;
  EXPECT_NE(preview.output.find("#   #SBATCH --array=0-0\n"), std::string::npos) << preview.output;
  EXPECT_EQ(preview.error,
            "warning: launcher=slurm: sbatch is not on PATH (run on a Slurm login node, or use "
            "launcher=local); the dry run shows its script all the same\n");
  // A GPU job for Slurm's nodes, from a machine without CUDA: their device, not this one's; but
  // a GPU asked of Slurm, or no task would have one.
  auto on_nodes =
      sweep("launcher=slurm launcher.gpus=1 device=cuda --dry-run", "PATH=/nonexistent");
  EXPECT_EQ(on_nodes.exit_code, 0) << on_nodes.error;
  auto second_gpu =
      sweep("launcher=slurm launcher.gpus=1 device=cuda:1 --dry-run", "PATH=/nonexistent");
  EXPECT_EQ(second_gpu.exit_code, 2);
  EXPECT_EQ(second_gpu.error,
            "error: device: cuda:1 asked for, but launcher.gpus=1 gives each task 1 GPU(s), "
            "numbered from 0 (use device=cuda or auto, or raise launcher.gpus)\n");
  // --check makes every check: without sbatch, an error as a submission's.
  EXPECT_EQ(sweep("launcher=slurm --check", "PATH=/nonexistent").exit_code, 2);
  auto no_gpu = sweep("launcher=slurm device=cuda --dry-run", "PATH=/nonexistent");
  EXPECT_EQ(no_gpu.exit_code, 2);
  EXPECT_EQ(no_gpu.error,
            "error: device: a CUDA device asked for, but launcher=slurm asks Slurm for no GPU, so "
            "each task would find none (set launcher.gpus=1, or device=auto to take a GPU where a "
            "task has one)\n");
}

TEST_F(SweepEndToEnd, EnvironmentValuesTakeTheTypeOfTheirOption) {
  // ${oc.env:VAR} gives a string; the run is the one the same values typed by hand make.
  auto by_hand = sweep(
      "model=linear_ae model.latent_dim=3 trainer.epochs=1 trainer.lr=0.002 "
      "seed=5 --quiet");
  ASSERT_EQ(by_hand.exit_code, 0) << by_hand.output;
  const RunRecord typed = read_runs().at(0);
  fs::remove_all(out_.file("results"));
  auto from_environment = sweep(
      "model=linear_ae 'model.latent_dim=${oc.env:AELAB_TEST_K}' "
      "'trainer.epochs=${oc.env:AELAB_TEST_EPOCHS}' 'trainer.lr=${oc.env:AELAB_TEST_LR}' "
      "'seed=${oc.env:AELAB_TEST_SEED}' --quiet",
      "AELAB_TEST_K=3 AELAB_TEST_EPOCHS=1 AELAB_TEST_LR=0.002 AELAB_TEST_SEED=5");
  ASSERT_EQ(from_environment.exit_code, 0) << from_environment.output;
  const RunRecord from_env = read_runs().at(0);
  EXPECT_EQ(from_env.run_id, typed.run_id);
  EXPECT_EQ(from_env.metrics, typed.metrics);
  auto wrong = sweep("'model.latent_dim=${oc.env:AELAB_TEST_K}' --dry-run", "AELAB_TEST_K=3.5");
  EXPECT_EQ(wrong.exit_code, 2) << wrong.output;
  EXPECT_EQ(wrong.error,
            "error: override 'model.latent_dim=${oc.env:AELAB_TEST_K}': model.latent_dim: "
            "expected an int, got string '3.5' (for example 32)\n");
}

TEST_F(SweepEndToEnd, DryRunCfgAndParse) {
  auto dry = sweep("-c sweeps/bottleneck model.latent_dim=2,4 seed=0,1 --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_EQ(dry.output.substr(0, dry.output.find('\n')),
            "#0 : model=pca model.latent_dim=2 data=idx data.root=" + data_->path() + " seed=0");
  EXPECT_NE(dry.output.find("#11 : model=mlp_ae model.latent_dim=4 data=idx"), std::string::npos);
  EXPECT_FALSE(fs::exists(out_.file("results")));
  auto twice = sweep("-c sweeps/bottleneck model.latent_dim=2,4 model.latent_dim=8 --dry-run");
  ASSERT_EQ(twice.exit_code, 0) << twice.output;
  EXPECT_EQ(twice.error,
            "warning: model.latent_dim is given twice on the command line "
            "('model.latent_dim=2,4', then 'model.latent_dim=8'): the last counts, as in Hydra\n");
  EXPECT_NE(twice.output.find("#0 : model=pca model.latent_dim=8 "), std::string::npos)
      << twice.output;
  // An override no job reads (PCA trains nothing; an MLP autoencoder has no prior) is said, and
  // one every job has but none uses given its other values; one that some job uses is not.
  const std::vector<std::pair<std::string, std::string>> warned = {
      {"model=pca trainer.epochs=2 prior=vamp",
       "warning: override 'trainer.epochs=2' changes no job: no job of this sweep reads "
       "trainer.epochs (its experiment and model leave it out; run_sweep --cfg job shows what "
       "each job reads)\nwarning: override 'prior=vamp' changes no job: no job of this sweep "
       "reads prior (its experiment and model leave it out; run_sweep --cfg job shows what each "
       "job reads)\n"},
      {"model=pca,vae trainer.epochs=2 prior=vamp", ""},
      {"model=mlp_ae trainer.momentum=0.5 trainer.optimizer=adam,adamw",
       "warning: override 'trainer.momentum=0.5' changes no training: trainer.momentum applies "
       "with trainer.optimizer=sgd only, and the jobs have trainer.optimizer adam or adamw (its "
       "runs train as they would without it, under other run ids)\n"},
      {"model=mlp_ae trainer.momentum=0.5 trainer.optimizer=adam,sgd", ""},
      // Evaluation options a job's model or settings leave unread.
      {"model=mlp_ae eval.is_samples=10",
       "warning: override 'eval.is_samples=10' changes no result: eval.is_samples applies with "
       "model.name=vae only, and every job has model.name=ae (its runs score as they would "
       "without it, under other run ids)\n"},
      {"model=mlp_ae,vae eval.is_samples=10", ""},
  };
  for (const auto& [arguments, warnings] : warned) {
    auto result = sweep(arguments + " --dry-run");
    ASSERT_EQ(result.exit_code, 0) << arguments << "\n" << result.output;
    EXPECT_EQ(result.error, warnings) << arguments;
  }
  auto cfg = sweep("model.latent_dim=3,5 --cfg job");
  ASSERT_EQ(cfg.exit_code, 0) << cfg.output;
  EXPECT_EQ(cfg.output.rfind("# job 0\n", 0), 0u) << cfg.output;
  EXPECT_NE(cfg.output.find("---\n# job 1\n"), std::string::npos);
  EXPECT_NE(cfg.output.find("---\n# the sweep's launcher, which runs every job above\nlauncher:\n"
                            "  name: local\n"),
            std::string::npos)
      << cfg.output;
  EXPECT_NE(cfg.output.find("latent_dim: 5"), std::string::npos);
  // `~key` deletes a value to its option's default (the README's `~data.subset`), whatever the
  // config files or an earlier override gave.
  auto deleted = sweep("model=mlp_ae trainer.lr=0.5 trainer.epochs=3 '~trainer.lr' --cfg job");
  ASSERT_EQ(deleted.exit_code, 0) << deleted.error;
  EXPECT_NE(deleted.output.find("\n  lr: 0.001\n"), std::string::npos) << deleted.output;
  EXPECT_NE(deleted.output.find("\n  epochs: 3\n"), std::string::npos) << deleted.output;
  auto shard = sweep("model.latent_dim=3,5 --cfg job --shard 1/2");
  ASSERT_EQ(shard.exit_code, 0) << shard.error;
  EXPECT_EQ(shard.output.rfind("# job 1\n", 0), 0u) << shard.output;
  EXPECT_EQ(shard.output.find("# job 0"), std::string::npos);
  auto cfg_all = sweep("--cfg all");
  EXPECT_EQ(cfg_all.exit_code, 2);
  EXPECT_EQ(cfg_all.error,
            "error: --cfg all: expected 'job' (aelab has no separate hydra config: --cfg job "
            "prints each job's whole config, then the launcher's settings)\n");
  auto parse = testing::run_sweep("--parse 'a=1e-3' '+b=x,\"y z\"' 'c=range(0,3)' '~d'");
  EXPECT_EQ(
      parse.output,
      "{\"key\": \"a\", \"op\": \"change\", \"sweep\": false, \"value\": 0.001}\n"
      "{\"key\": \"b\", \"op\": \"add\", \"sweep\": true, \"kind\": \"simple\", \"values\": "
      "[\"x\", \"y z\"]}\n"
      "{\"key\": \"c\", \"op\": \"change\", \"sweep\": true, \"kind\": \"range\", \"values\": "
      "[0, 1, 2]}\n"
      "{\"key\": \"d\", \"op\": \"delete\", \"sweep\": false}\n");
}

TEST_F(SweepEndToEnd, DryRunMakesARunsChecksAndWritesNothing) {
  // A data folder without the files: only --check loads the data.
  const std::string nowhere = "data.root=" + out_.file("nowhere") + " ";
  auto dry = sweep(nowhere + "--dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("# checked: the results folder " + out_.file("results") +
                            ", the launcher, the devices: 1 job(s) to run, 0 skipped\n# not "
                            "checked: the datasets"),
            std::string::npos)
      << dry.output;
  auto check = sweep(nowhere + "--check");
  EXPECT_EQ(check.exit_code, 2) << check.output;
  EXPECT_NE(check.error.find("data.root: " + out_.file("nowhere") + ": no such folder"),
            std::string::npos)
      << check.error;
  // The error alone: no job list before it.
  EXPECT_EQ(check.output.find("#0 : "), std::string::npos) << check.output;
  auto fits = sweep("model=pca model.latent_dim=4 --check");
  ASSERT_EQ(fits.exit_code, 0) << fits.output;
  EXPECT_NE(fits.output.find("PCA basis fitted (a dry run caches nothing)"), std::string::npos)
      << fits.output;
  EXPECT_NE(fits.output.find("each dataset and each job's model on it: 1 job(s) to run"),
            std::string::npos);
  EXPECT_NE(fits.output.find("data idx: "), std::string::npos) << fits.output;  // loaded
  EXPECT_FALSE(fs::exists(out_.file("results")));
  if (fs::exists(out_.file("cache")))  // decoded datasets may be cached; no PCA basis is
    for (const auto& entry : fs::directory_iterator(out_.file("cache")))
      EXPECT_NE(entry.path().filename().string().rfind("pca-", 0), 0u) << entry.path();
  if (!torch::cuda::is_available()) {
    auto cuda = sweep("device=cuda --dry-run");
    EXPECT_EQ(cuda.exit_code, 2);
    EXPECT_NE(cuda.error.find("device: 'cuda' asked for, but this LibTorch sees no CUDA device"),
              std::string::npos)
        << cuda.error;
    auto devices = sweep("'launcher.devices=[0,1]' --jobs 1 --dry-run");
    EXPECT_EQ(devices.exit_code, 0) << devices.error;
    EXPECT_EQ(devices.error,
              "warning: launcher.devices=[0,1]: this machine has no CUDA device, so the jobs "
              "compute on the CPU, 1 at a time\n");
  }
  // After a run, the dry run says which jobs it would skip; a shard shows its own jobs.
  ASSERT_EQ(sweep("model=linear_ae model.latent_dim=2 trainer.epochs=1 --quiet").exit_code, 0);
  auto again = sweep("model=linear_ae model.latent_dim=2,3 trainer.epochs=1 --dry-run");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("model.latent_dim=2 trainer.epochs=1  skipped: completed earlier ("),
            std::string::npos)
      << again.output;
  EXPECT_NE(again.output.find(": 1 job(s) to run, 1 skipped\n"), std::string::npos);
  EXPECT_EQ(again.error, "");
  auto done = sweep("model=linear_ae model.latent_dim=2 trainer.epochs=1 --check");
  ASSERT_EQ(done.exit_code, 0) << done.output;  // no job left: no dataset is loaded
  EXPECT_NE(done.output.find("# checked: the launcher: 0 job(s) to run, 1 skipped (nothing else "
                             "to check: a run would train nothing)\n"),
            std::string::npos)
      << done.output;
  EXPECT_EQ(done.output.find("data idx:"), std::string::npos) << done.output;
  // The same sweep with other overrides: the runs it leaves beside its own are named.
  auto changed = sweep("model=linear_ae model.latent_dim=3 trainer.epochs=1 --dry-run");
  EXPECT_NE(changed.error.find("warning: " + out_.file("results") +
                               "/runs holds 1 run(s) of no job of this sweep (it ran here before "
                               "with other values of model.latent_dim); make_table and "
                               "plot_results read them"),
            std::string::npos)
      << changed.error;
  // A run file put there by hand is of no job the folder lists: no keys are guessed for it.
  const std::vector<RunRecord> earlier = read_runs();
  ASSERT_EQ(earlier.size(), 1u);
  fs::copy_file(out_.file("results/runs/" + earlier[0].run_id + ".h5"),
                out_.file("results/runs/copied.h5"));
  changed = sweep("model=linear_ae model.latent_dim=3 trainer.epochs=1 --dry-run");
  EXPECT_NE(changed.error.find("/runs holds 2 run(s) of no job of this sweep (from another config "
                               "or other overrides); make_table"),
            std::string::npos)
      << changed.error;
  fs::remove(out_.file("results/runs/copied.h5"));
  // Nothing set on the command line: what changed came from a config file, not to be guessed
  // from the earlier sweep's overrides.
  testing::ScratchDir::write_file(out_.file("k3.yaml"),
                                  "defaults: [/config, override /data: idx, override /model: "
                                  "linear_ae, _self_]\ndata: {root: " +
                                      data_->path() +
                                      "}\nmodel: {latent_dim: 3}\ntrainer: {epochs: 1}\n");
  changed =
      testing::run_sweep("--config-dir " + testing::project_configs() + " --out " +
                             out_.file("results") + " -c " + out_.file("k3.yaml") + " --dry-run",
                         "AELAB_CACHE_DIR=" + out_.file("cache"));
  ASSERT_EQ(changed.exit_code, 0) << changed.error;
  EXPECT_NE(changed.error.find("/runs holds 1 run(s) of no job of this sweep (from another config "
                               "or other overrides); make_table"),
            std::string::npos)
      << changed.error;
  auto other = sweep("model=linear_ae model.latent_dim=2 name=other --dry-run");
  EXPECT_NE(other.error.find("warning: " + out_.file("results") +
                             " holds the runs of sweep 'default' (1 job(s)); this sweep, 'other', "
                             "adds its runs beside them"),
            std::string::npos)
      << other.error;
  auto shard = sweep(
      "model=linear_ae model.latent_dim=2,3,4 trainer.epochs=1 --dry-run "
      "--shard 1/2");
  ASSERT_EQ(shard.exit_code, 0) << shard.output;
  EXPECT_EQ(shard.output.find("#0 :"), std::string::npos) << shard.output;
  EXPECT_NE(shard.output.find("#1 : "), std::string::npos);
  EXPECT_NE(shard.output.find("; shard 1/2 has 1 of them\n"), std::string::npos);
}

TEST(RunSweepModes, EachModeRefusesWhatItDoesNotRead) {
  for (const auto& [arguments, expected] : std::vector<std::pair<std::string, std::string>>{
           {"--status results/x model=conv",
            "the override 'model=conv' does not apply with --status, which reads the results "
            "folder alone (leave it out)"},
           {"--list --status results/x",
            "--list does not apply with --status, which reads the results folder alone (leave it "
            "out)"},
           {"--reproduce results/x/runs/a.h5 --dry-run",
            "--dry-run does not apply with --reproduce, which reruns the run file's own config "
            "(leave it out)"},
           {"--reproduce results/x/runs/a.h5 -c sweeps/bottleneck seed=1",
            "-c/--config does not apply with --reproduce"},
           {"--parse a=1 --out x", "--out does not apply with --parse"},
           {"--parse", "--parse: no override to parse (give some after it"},
           {"--dry-run --fail-fast --max-failures 3",
            "--fail-fast and --max-failures 3: give one (--fail-fast is --max-failures 1)"},
           {"--tolerance 0.1", "--tolerance applies only with --reproduce RUN_FILE"},
           {"--progress-every -1 --dry-run",
            "--progress-every -1: give seconds, 0 or more (0: never)"},
           {"--quiet --progress-every 2 --dry-run",
            "--progress-every and --quiet: give one (--quiet prints no progress lines)"},
           {"--reproduce /tmp",
            "--reproduce /tmp: a folder, not a run file (give one of "
            "/tmp/<run_id>.h5)"},
           {"--cfg job --dry-run", "--cfg job and --dry-run: give one"},
           {"--cfg job --check",
            "--cfg job and --check: give one (--cfg job prints each job's config, --check lists "
            "the jobs and tries each on its data)"},
           {"--list trainr", "--list trainr: no such kind or section (did you mean 'trainer'?"},
           {"--list model data=parabola",
            "--list data=parabola: an override, which --list does not read (it takes kinds or "
            "sections to list, such as --list model trainer)"}}) {
    auto result = testing::run_sweep(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments;
    EXPECT_EQ(result.error.rfind("error: " + expected, 0), 0u) << arguments << ": " << result.error;
    EXPECT_EQ(std::count(result.error.begin(), result.error.end(), '\n'), 1) << result.error;
  }
  // Hydra's --multirun, out of habit: every sweep runs, with it or without.
  for (const std::string flag : {"-m", "--multirun"}) {
    auto multirun = testing::run_sweep(flag + " model=pca model.latent_dim=2,3 --dry-run");
    EXPECT_EQ(multirun.exit_code, 0) << multirun.output;
    EXPECT_NE(multirun.output.find("# model.latent_dim: 2 = 2 jobs"), std::string::npos)
        << multirun.output;
  }
  auto only = testing::run_sweep("--list trainer model");
  ASSERT_EQ(only.exit_code, 0) << only.error;
  EXPECT_EQ(only.output.rfind("model: model.name=NAME", 0), 0u) << only.output;
  EXPECT_NE(only.output.find("\ntrainer: presets: trainer="), std::string::npos);
  EXPECT_EQ(only.output.find("\nencoder:"), std::string::npos);
  // What a preset sets beside the code's default: the value an override such as decoder=mlp gives.
  auto presets = testing::run_sweep("--list decoder data");
  ASSERT_EQ(presets.exit_code, 0) << presets.error;
  EXPECT_NE(presets.output.find("hidden layer widths, code side first (decoder=mlp sets mirror)"),
            std::string::npos)
      << presets.output;
  EXPECT_NE(presets.output.find("(data=idx leaves it ???: set it)"), std::string::npos);
  EXPECT_EQ(presets.output.find("(data=fashion_mnist sets"), std::string::npos);
}

TEST(RunSweepModes, StatusNamesBadFoldersAndWhatARerunOfAKilledJobDoes) {
  testing::ScratchDir out;
  const auto status_of = [&](const std::string& folder) {
    auto result = testing::run_sweep("--status " + folder);
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_EQ(std::count(result.error.begin(), result.error.end(), '\n'), 1) << result.error;
    return result.error;
  };
  EXPECT_EQ(status_of(out.file("nowhere")),
            "error: " + out.file("nowhere") +
                ": no such folder (give the --out folder of a sweep, such as "
                "results/bottleneck)\n");
  EXPECT_EQ(status_of(out.path()),
            "error: " + out.path() +
                ": not a sweep's results folder (no jobs/sweep.yaml; run_sweep writes it when a "
                "sweep starts)\n");
  const std::string damaged =
      "error: " + out.file("jobs/sweep.yaml") +
      ": a damaged job list (run the sweep's run_sweep command again: it writes the list anew "
      "and keeps the finished runs)\n";
  for (const char* text : {"name: x\njobs: [{index: 0}]\n", "jobs: {a: 1}\n", "jobs: [\n"}) {
    out.write("jobs/sweep.yaml", text);
    EXPECT_EQ(status_of(out.path()), damaged) << text;
  }
  // Run files of no listed job: an earlier sweep into the same folder, which tables read too.
  out.write("jobs/sweep.yaml", "name: x\njobs: [{index: 0, run_id: a1, overrides: seed=1}]\n");
  out.write("runs/b2.h5", "");
  EXPECT_EQ(status_of(out.file("runs/b2.h5")), "error: " + out.file("runs/b2.h5") +
                                                   ": a file inside the results folder " +
                                                   out.path() + "; give that folder\n");
  EXPECT_EQ(status_of(out.file("runs") + "/"), "error: " + out.file("runs") + "/" +
                                                   ": a folder inside the results folder " +
                                                   out.path() + "; give that folder\n");
  auto mixed = testing::run_sweep("--status " + out.path());
  EXPECT_EQ(mixed.exit_code, 0) << mixed.error;
  EXPECT_NE(mixed.output.find("#0    pending     seed=1\n1 pending\nand 1 run file(s) in runs/ of "
                              "no job above (an earlier sweep into this folder)"),
            std::string::npos)
      << mixed.output;
  // Jobs whose process was killed (kill -9): whether a rerun resumes them or starts them again.
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  out.write("jobs/sweep.yaml",
            "name: x\njobs: [{index: 0, run_id: a1, overrides: seed=1}, "
            "{index: 1, run_id: a3, overrides: seed=3}]\n");
  const std::string gone = std::string("host ") + host + "\npid 999999999\nprocess_start 1\n";
  out.write("claims/a1.claim", gone + "epoch 2\nepochs 5\n");
  out.write("checkpoints/a1.pt", "");
  out.write("claims/a3.claim", gone);
  auto killed = testing::run_sweep("--status " + out.path());
  EXPECT_NE(killed.output.find("seed=1  its process " + std::string(host) +
                               ":999999999 is gone (2 of 5 epochs done); a rerun resumes it "
                               "from its checkpoint\n"),
            std::string::npos)
      << killed.output;
  EXPECT_NE(killed.output.find("seed=3  its process " + std::string(host) +
                               ":999999999 is gone (before its first epoch ended); it saved no "
                               "checkpoint: a rerun starts it again\n"),
            std::string::npos)
      << killed.output;
}

TEST_F(SweepEndToEnd, AResearchersOwnConfigFolderAddsToTheProjects) {
  // A primary config of one's own beside a group of one's own, starting from the project's
  // default config: its folder joins the search path, in front.
  testing::ScratchDir own;
  own.write("encoder/tiny.yaml", "name: mlp\nhidden: [8]\n");
  own.write("mine.yaml",
            "defaults:\n  - /config\n  - override /encoder: tiny\n  - _self_\nname: mine\n"
            "sweep:\n  model.latent_dim: 4,8\n");
  const std::string data = " data=idx data.root=" + data_->path() + " --dry-run";
  // The decoder follows the encoder's name: no decoder/tiny, until the command line picks one.
  auto unfollowed = testing::run_sweep("-c " + own.file("mine.yaml") + data);
  EXPECT_EQ(unfollowed.exit_code, 2);
  EXPECT_NE(unfollowed.error.find("group 'decoder' has no option 'tiny' to follow encoder=tiny; "
                                  "choose one with decoder=NAME"),
            std::string::npos)
      << unfollowed.error;
  auto chosen = testing::run_sweep("-c " + own.file("mine.yaml") + data + " decoder=mlp");
  EXPECT_EQ(chosen.exit_code, 0) << chosen.output;
  EXPECT_NE(chosen.output.find("# model.latent_dim: 2 = 2 jobs"), std::string::npos)
      << chosen.output;
  // Named from its own folder, as `cd ~/exp && run_sweep -c mine.yaml`.
  auto from_there = testing::run_sweep("-c mine.yaml" + data + " decoder=mlp", "", own.path());
  EXPECT_EQ(from_there.exit_code, 0) << from_there.output;
  // The same folder named with --config-dir, the primary config by name.
  auto by_name = testing::run_sweep("--config-dir " + own.path() + " -c mine decoder=mlp" + data);
  EXPECT_EQ(by_name.exit_code, 0) << by_name.output;
  // An option the folders lack is the mistake named, not the decoder that would follow it.
  own.write("other.yaml", "defaults:\n  - /config\n  - override /encoder: tiyn\n  - _self_\n");
  auto typo = testing::run_sweep("-c " + own.file("other.yaml") + data);
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.error.rfind("error: " + own.file("other.yaml") +
                                 ":3:24: defaults: encoder: no option 'tiyn' in group 'encoder' "
                                 "(did you mean 'tiny'?",
                             0),
            0u)
      << typo.error;
}

TEST_F(SweepEndToEnd, ListShowsEveryKind) {
  auto list = testing::run_sweep("--list");
  ASSERT_EQ(list.exit_code, 0);
  for (const char* kind : {"dataset:", "decoder:", "encoder:", "experiment:", "launcher:", "model:",
                           "objective:", "trainer:"})
    EXPECT_NE(list.output.find(kind), std::string::npos) << kind;
  EXPECT_NE(list.output.find("latent_dim       = 32"), std::string::npos) << list.output;
  // A section's names line up, however long one is.
  EXPECT_NE(list.output.find("      is_samples            = 1000 "), std::string::npos);
  EXPECT_NE(list.output.find("      active_unit_threshold = 0.01 "), std::string::npos);
  // What an override writes: the section's name key, and the group's presets.
  EXPECT_NE(list.output.find("dataset: data.name=NAME; presets: data=cifar10,fashion_mnist,"),
            std::string::npos)
      << list.output;
  EXPECT_NE(list.output.find("\nmodel: model.name=NAME; presets: model="), std::string::npos);
  EXPECT_NE(list.output.find("\ntrainer: presets: trainer="), std::string::npos);
}

}  // namespace
}  // namespace aelab
