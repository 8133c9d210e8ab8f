// Runs saved and resumed: a run killed with SIGKILL after a checkpoint resumes and ends
// bit-identical to an uninterrupted one; completed runs hold weights that reload to the same
// outputs, and a later run can start from them (init_from).
#include <gtest/gtest.h>

#include <filesystem>

#include "framework/core/yaml_io.h"
#include "framework/experiment/model_store.h"
#include "framework/experiment/run_inputs.h"
#include "framework/metrics/reconstruction_metrics.h"
#include "framework/results/result_table.h"
#include "framework/results/results_folder.h"
#include "framework/results/run_record.h"
#include "framework/sweep/jobs/job.h"
#include "tests/sweep/toy_data_sweep.h"

namespace aelab {
namespace {

namespace fs = std::filesystem;

class SavedRuns : public testing::ToyDataSweep {
 protected:
  testing::CommandResult sweep(const std::string& out, const std::string& arguments,
                               const std::string& environment = "") const {
    return ToyDataSweep::sweep(out, "--quiet " + arguments, environment);
  }
  RunRecord only_run(const std::string& out) {
    std::vector<RunRecord> runs = read_results(dir_.file(out));
    EXPECT_EQ(runs.size(), 1u);
    return read_run_file(dir_.file(out + "/runs/" + runs[0].run_id + ".h5"));
  }
  /// The one run of `args` + `extra` in the results folder `out`, each of two.
  std::pair<RunRecord, RunRecord> two_runs(const std::string& args,
                                           const std::pair<std::string, std::string>& first,
                                           const std::pair<std::string, std::string>& second) {
    for (const auto& [out, extra] : {first, second}) {
      auto result = sweep(out, args + " " + extra);
      EXPECT_EQ(result.exit_code, 0) << result.output;
    }
    return {only_run(first.first), only_run(second.first)};
  }
};

TEST_F(SavedRuns, KilledRunResumesFromItsCheckpointBitIdentical) {
  for (const std::string model :
       {"model=mlp_ae", "model=vae prior=vamp eval.is_samples=5", "model=conv_ae"}) {
    const std::string args = model + " model.latent_dim=3 trainer.epochs=4 " +
                             "trainer.checkpoint_every=1 noise=masking";
    auto whole = sweep("whole", args);
    ASSERT_EQ(whole.exit_code, 0) << whole.output;
    auto killed = sweep("resumed", args, "AELAB_KILL_AFTER_CHECKPOINT=2");
    EXPECT_EQ(killed.exit_code, 1) << killed.output;
    EXPECT_NE(killed.output.find("failed: worker killed by SIGKILL (the kernel's out-of-memory "
                                 "killer, or kill -9) without writing results"),
              std::string::npos)
        << killed.output;
    RunRecord dead = only_run("resumed");
    // Its record says how long it ran (from when it claimed the job).
    EXPECT_EQ(dead.status, "failed");
    EXPECT_GT(dead.wall_seconds, 0) << model;
    EXPECT_TRUE(fs::exists(dir_.file("resumed/checkpoints/" + dead.run_id + ".pt")));
    auto resumed = ToyDataSweep::sweep("resumed", args);  // not quiet: it says where it resumes
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("resuming from the checkpoint of epoch 2"), std::string::npos)
        << resumed.output;
    EXPECT_EQ(resumed.output.find("epoch 1/4"), std::string::npos) << resumed.output;
    RunRecord a = only_run("whole"), b = only_run("resumed");
    EXPECT_EQ(a.run_id, b.run_id);
    EXPECT_EQ(b.status, "completed");
    EXPECT_EQ(a.metrics, b.metrics) << model;
    EXPECT_EQ(a.history, b.history) << model;
    EXPECT_EQ(b.history.at("train").at("loss").size(), 4u);
    EXPECT_EQ(a.model_state, b.model_state) << model;
    EXPECT_FALSE(fs::exists(dir_.file("resumed/checkpoints/" + b.run_id + ".pt")));
    fs::remove_all(dir_.file("whole"));
    fs::remove_all(dir_.file("resumed"));
  }
}

TEST_F(SavedRuns, KeepCheckpointKeepsTheLastEpochAndTheRunId) {
  const std::string args = "model=mlp_ae model.latent_dim=3 trainer.epochs=2";
  auto plain = sweep("plain", args);
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  auto kept = sweep("kept", args + " trainer.keep_checkpoint=true");
  ASSERT_EQ(kept.exit_code, 0) << kept.output;
  RunRecord a = only_run("plain"), b = only_run("kept");
  EXPECT_EQ(a.run_id, b.run_id) << "keeping a checkpoint cannot change a result";
  EXPECT_FALSE(fs::exists(dir_.file("plain/checkpoints/" + a.run_id + ".pt")));
  ASSERT_TRUE(fs::exists(dir_.file("kept/checkpoints/" + b.run_id + ".pt")));
  EXPECT_EQ(a.metrics, b.metrics);
  // The kept checkpoint holds the last epoch: a rerun of the run resumes there, trains nothing.
  fs::remove(dir_.file("kept/runs/" + b.run_id + ".h5"));
  auto again = sweep("kept", args + " trainer.keep_checkpoint=true");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(only_run("kept").metrics, a.metrics);
  // The same sweep without the flag finds the run completed and runs nothing.
  const std::string run_file = dir_.file("kept/runs/" + b.run_id + ".h5");
  const auto written = fs::last_write_time(run_file);
  auto rerun = sweep("kept", args);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_EQ(fs::last_write_time(run_file), written) << rerun.output;
}

TEST_F(SavedRuns, ATestSubsetMeasuresTheFirstTestImagesWithARunIdOfItsOwn) {
  const auto [a, b] = two_runs("model=mlp_ae model.latent_dim=3 trainer.epochs=1", {"all", ""},
                               {"forty", "data.test_subset=40"});
  // All test images is the default: the run id is that of a config written before the option.
  ConfigNode config = parse_yaml(a.config_yaml, "run");
  EXPECT_TRUE(config.find("data.test_subset")->is_null());
  config.find("data")->remove("test_subset");
  EXPECT_EQ(run_id_of(config), a.run_id);
  EXPECT_NE(a.run_id, b.run_id);
  EXPECT_NE(a.data_hash, b.data_hash);
  // The same training; the model's test metrics and PCA's over 40 images, not 100.
  EXPECT_EQ(a.history.at("train").at("loss"), b.history.at("train").at("loss"));
  EXPECT_NE(a.metrics.at("test").at("sse"), b.metrics.at("test").at("sse"));
  EXPECT_NE(a.baselines.at("pca").at("test").at("sse"), b.baselines.at("pca").at("test").at("sse"));
}

TEST_F(SavedRuns, Bf16TrainsUnderAutocastWithARunIdOfItsOwn) {
  const auto [a, b] =
      two_runs("model=mlp_ae model.latent_dim=3 trainer.epochs=2",
               {"fp32", "trainer.precision=fp32"}, {"bf16", "trainer.precision=bf16"});
  // fp32 is the default: the run id is that of a config written before the option existed.
  ConfigNode config = parse_yaml(a.config_yaml, "run");
  config.find("trainer")->remove("precision");
  EXPECT_EQ(run_id_of(config), a.run_id);
  EXPECT_NE(a.run_id, b.run_id);
  // Training in bfloat16 moves the losses a little, and only a little.
  const double loss_a = a.history.at("train").at("loss").back();
  const double loss_b = b.history.at("train").at("loss").back();
  EXPECT_NE(loss_a, loss_b);
  EXPECT_NEAR(loss_b, loss_a, 0.1 * loss_a);
  const double sse_a = a.metrics.at("test").at("sse"), sse_b = b.metrics.at("test").at("sse");
  EXPECT_NEAR(sse_b, sse_a, 0.1 * sse_a);
}

TEST_F(SavedRuns, WeightsReloadToIdenticalOutputsAndSeedLaterRuns) {
  auto result = sweep("out", "model=pca,conv_ae model.latent_dim=3 trainer.epochs=1");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const auto& summary : read_results(dir_.file("out"))) {
    std::string path = dir_.file("out/runs/" + summary.run_id + ".h5");
    RunRecord run = read_run_file(path);
    ConfigNode config = parse_yaml(run.config_yaml, path);
    DataSplits data = load_data(config);
    auto model = load_run_model(path);
    auto metrics = reconstruction_metrics(*model, data.test_x, 2000);
    EXPECT_EQ(metrics.at("mse"), run.metrics.at("test").at("mse")) << run.choices.at("model");
    EXPECT_EQ(metrics.at("sse"), run.metrics.at("test").at("sse")) << run.choices.at("model");
  }
  std::string conv_id;
  for (const auto& summary : read_results(dir_.file("out")))
    if (summary.choices.at("model") == "conv_ae") conv_id = summary.run_id;
  ASSERT_FALSE(conv_id.empty());
  auto started = ToyDataSweep::sweep(
      "out", "model=conv_ae model.latent_dim=3 trainer.epochs=1 trainer.lr=0 trainer.init_from=" +
                 conv_id + " trainer.init_modules=[encoder]");
  ASSERT_EQ(started.exit_code, 0) << started.output;
  EXPECT_NE(started.output.find("initialized"), std::string::npos) << started.output;
  EXPECT_NE(started.output.find("tensor(s) from " + dir_.file("out") + "/runs/" + conv_id + ".h5"),
            std::string::npos)
      << started.output;
  // Another latent_dim: a shape that differs, refused before any job runs, with the way out.
  auto mismatched = sweep("out",
                          "model=conv_ae model.latent_dim=5 trainer.epochs=1 "
                          "trainer.init_from=" +
                              conv_id);
  EXPECT_EQ(mismatched.exit_code, 2) << mismatched.output;
  EXPECT_NE(mismatched.output.find("trainer.init_from: " + dir_.file("out") + "/runs/" + conv_id +
                                   ".h5: '"),
            std::string::npos)
      << mismatched.output;
  EXPECT_NE(mismatched.output.find("was saved with shape"), std::string::npos) << mismatched.output;
  // The way out names the modules that fit, and taking them works.
  const std::string take = "or take only what fits: trainer.init_modules=[";
  const size_t at = mismatched.output.find(take);
  ASSERT_NE(at, std::string::npos) << mismatched.output;
  const std::string modules = mismatched.output.substr(
      at + take.size(), mismatched.output.find(']', at) - at - take.size());
  EXPECT_EQ(modules.find("to_code"), std::string::npos) << modules;
  auto taken = sweep("out", "model=conv_ae model.latent_dim=5 trainer.epochs=1 trainer.init_from=" +
                                conv_id + " 'trainer.init_modules=[" + modules + "]' --check");
  EXPECT_EQ(taken.exit_code, 0) << taken.output;
  // Run ids are hex: some type as an int or a float when unquoted, and are still run ids.
  for (std::string id : {"000000000000", "455751741547", "5e3210987654"}) {
    auto missing = sweep("out",
                         "model=conv_ae model.latent_dim=3 trainer.epochs=1 "
                         "trainer.init_from=" +
                             id);
    EXPECT_EQ(missing.exit_code, 2) << missing.output;  // found before any job runs
    EXPECT_NE(missing.output.find("trainer.init_from: " + dir_.file("out") + "/runs/" + id +
                                  ".h5 not found"),
              std::string::npos)
        << missing.output;
  }
}

}  // namespace
}  // namespace aelab
