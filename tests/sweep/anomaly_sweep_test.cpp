// experiment=anomaly end to end through run_sweep on a small dataset the test writes, every
// recorded array checked; threshold policies, VAE scores and config mistakes; the shipped
// one-class and manifold sweeps.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "framework/results/run_record.h"
#include "tests/sweep/run_sweep_in_child.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

namespace fs = std::filesystem;

/// 8x8 images of three classes: a blob on the left (0), on the right (1) or at the top (2).
void write_three_class_dataset(const std::string& folder) {
  auto write = [&](const std::string& prefix, int64_t count) {
    std::vector<uint8_t> pixels, labels;
    for (int64_t n = 0; n < count; ++n) {
      const int64_t label = n % 3;
      const double cx = label == 0 ? 1.5 + n % 2 : label == 1 ? 5.5 + n % 2 : 3.5;
      const double cy = label == 2 ? 1.5 : 2.5 + n % 3;
      labels.push_back(static_cast<uint8_t>(label));
      for (int64_t y = 0; y < 8; ++y)
        for (int64_t x = 0; x < 8; ++x) {
          const double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
          pixels.push_back(static_cast<uint8_t>(255.0 * std::exp(-d2 / 3.0)));
        }
    }
    testing::write_idx(folder + "/" + prefix + "-images-idx3-ubyte", {count, 8, 8}, pixels, false);
    testing::write_idx(folder + "/" + prefix + "-labels-idx1-ubyte", {count}, labels, false);
  };
  write("train", 600);
  write("t10k", 90);
}

class AnomalySweep : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new testing::ScratchDir();
    write_three_class_dataset(data_->path());
  }
  static void TearDownTestSuite() { delete data_; }

  testing::CommandResult sweep(const std::string& arguments, const std::string& out = "results") {
    return testing::run_sweep(
        "--config-dir " + testing::project_configs() + " --out " + out_.file(out) +
            " --quiet data=idx data.root=" + data_->path() +
            " experiment=anomaly model.latent_dim=2 trainer.epochs=3 trainer.batch_size=16 "
            "trainer.lr=0.005 encoder.hidden=[32] " +
            arguments,
        "AELAB_CACHE_DIR=" + out_.file("cache"));
  }
  std::vector<RunRecord> runs() {
    std::vector<RunRecord> out;
    for (const auto& entry : fs::directory_iterator(out_.file("results/runs")))
      out.push_back(read_run_file(entry.path().string()));
    std::sort(out.begin(), out.end(), [](const RunRecord& a, const RunRecord& b) {
      return a.choices.at("model") < b.choices.at("model");
    });
    return out;
  }

  static testing::ScratchDir* data_;
  testing::ScratchDir out_;
};
testing::ScratchDir* AnomalySweep::data_ = nullptr;

/// Every array a detector records, for the model (prefix "") or PCA ("pca_").
void expect_detector_arrays(const RunRecord& run, const std::string& prefix, size_t test_count) {
  const auto& roc = run.arrays.at(prefix + "roc");
  ASSERT_EQ(roc.shape.size(), 2u);
  EXPECT_EQ(roc.shape[1], 2u);
  EXPECT_EQ(roc.values.front(), 0.0);
  EXPECT_EQ(roc.values.back(), 1.0);
  EXPECT_EQ(run.arrays.at(prefix + "pr").shape[1], 2u);
  EXPECT_EQ(run.arrays.at(prefix + "test_scores").values.size(), test_count);
  EXPECT_EQ(run.arrays.at(prefix + "score_histogram_edges").values.size(), 51u);
  const auto& normal = run.arrays.at(prefix + "score_histogram_normal").values;
  const auto& anomalous = run.arrays.at(prefix + "score_histogram_anomalous").values;
  EXPECT_EQ(std::accumulate(normal.begin(), normal.end(), 0.0), 30.0);
  EXPECT_EQ(std::accumulate(anomalous.begin(), anomalous.end(), 0.0), 60.0);
  EXPECT_EQ(run.notes.at(prefix + "threshold"),
            "percentile: the 95th percentile of the normal validation scores");
}

TEST_F(AnomalySweep, RecordsEveryMetricCurveAndImage) {
  auto result = sweep("model=pca,mlp_ae anomaly.normal_classes=0");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // A threshold from few validation images is said even with --quiet.
  EXPECT_NE(result.error.find("warning: threshold: the 95th percentile of only "),
            std::string::npos)
      << result.error;
  std::vector<RunRecord> all = runs();
  ASSERT_EQ(all.size(), 2u);
  for (const RunRecord& run : all) {
    SCOPED_TRACE(run.choices.at("model"));
    EXPECT_NE(run.notes.at("train_normal").find(" normal training images"), std::string::npos);
    ASSERT_EQ(run.status, "completed") << run.error;
    for (const char* name : {"auroc", "auprc", "threshold", "precision", "recall", "f1",
                             "false_positive_rate", "score_normal", "score_anomalous"}) {
      EXPECT_TRUE(std::isfinite(run.metrics.at("test").at(name))) << name;
      EXPECT_TRUE(std::isfinite(run.baselines.at("pca").at("test").at(name))) << name;
    }
    expect_detector_arrays(run, "", 90);
    expect_detector_arrays(run, "pca_", 90);
    const auto& labels = run.arrays.at("test_labels").values;
    EXPECT_EQ(std::accumulate(labels.begin(), labels.end(), 0.0), 60.0);
    EXPECT_EQ(run.arrays.at("test_classes").values.size(), 90u);
    EXPECT_EQ(run.images.at("highest_scores").shape, (std::vector<uint64_t>{8, 1, 8, 8}));
    EXPECT_EQ(run.images.at("lowest_reconstructions").shape, (std::vector<uint64_t>{8, 1, 8, 8}));
    // Blobs elsewhere than on the left are easy to tell apart, for any detector.
    EXPECT_GT(run.metrics.at("test").at("auroc"), 0.9);
    EXPECT_FALSE(run.model_state.empty());
  }
  const RunRecord& pca = all[1];
  EXPECT_EQ(pca.choices.at("model"), "pca");
  // The pca model at latent_dim k is the PCA baseline at k: one detector, measured twice.
  EXPECT_DOUBLE_EQ(pca.metrics.at("test").at("auroc"),
                   pca.baselines.at("pca").at("test").at("auroc"));
  const RunRecord& mlp = all[0];
  EXPECT_EQ(mlp.history.at("val").at("score_normal").size(), 3u);
  EXPECT_EQ(mlp.history.at("val").at("score_anomalous").size(), 3u);
  EXPECT_GT(mlp.history.at("val").at("score_anomalous").back(),
            mlp.history.at("val").at("score_normal").back());
}

TEST_F(AnomalySweep, ThresholdPoliciesAndTheirFallback) {
  auto result = sweep(
      "model=pca anomaly.normal_classes=[0,1] anomaly.threshold=best_f1 "
      "anomaly.val_anomaly_fraction=0,0.2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::vector<std::string> notes;
  for (const RunRecord& run : runs()) notes.push_back(run.notes.at("threshold"));
  std::sort(notes.begin(), notes.end());
  EXPECT_EQ(notes[1].rfind("best_f1 on the validation split (", 0), 0u) << notes[1];
  EXPECT_EQ(notes[0],
            "best_f1 fell back to percentile: the 95th percentile of the normal validation scores "
            "(the validation split holds no anomalies; raise anomaly.val_anomaly_fraction)");
  result = sweep("model=pca anomaly.threshold=fixed anomaly.value=1e9", "fixed");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  RunRecord fixed =
      read_run_file(out_.file("fixed/runs/") +
                    fs::directory_iterator(out_.file("fixed/runs"))->path().filename().string());
  // Nothing scores above it: precision 0 by convention, said in the note and a warning.
  const std::string& note = fixed.notes.at("threshold");
  EXPECT_EQ(note.rfind("fixed; no test image scores above it (the highest scores ", 0), 0u) << note;
  EXPECT_NE(note.find("): precision is 0 by convention, as scikit-learn's zero_division=0 (choose "
                      "a lower threshold with anomaly.threshold, anomaly.value or "
                      "anomaly.percentile)"),
            std::string::npos)
      << note;
  EXPECT_NE(result.output.find("threshold: " + note), std::string::npos) << result.output;
  EXPECT_EQ(fixed.metrics.at("test").at("threshold"), 1e9);
  EXPECT_EQ(fixed.metrics.at("test").at("recall"), 0.0);
  EXPECT_EQ(fixed.metrics.at("test").at("precision"), 0.0);
}

TEST_F(AnomalySweep, VariationalScores) {
  auto result = sweep(
      "model=vae anomaly.score=neg_elbo,nll_is eval.is_samples=8 anomaly.threshold=fixed "
      "anomaly.value=300");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const RunRecord& run : runs()) {
    EXPECT_EQ(run.status, "completed") << run.error;
    EXPECT_EQ(run.notes.at("pca_score"), "sse (the model's score needs a VAE)");
    // 300 nats means nothing on PCA's sse scale: PCA keeps its percentile threshold.
    EXPECT_EQ(run.notes.at("threshold").rfind("fixed", 0), 0u);
    EXPECT_EQ(run.notes.at("pca_threshold").rfind("percentile", 0), 0u);
    EXPECT_GT(run.metrics.at("test").at("score_normal"), 0.0);
  }
}

TEST_F(AnomalySweep, ConfigMistakesAreOneLineBeforeAnythingRuns) {
  for (const std::string& bad :
       {"model=mlp_ae anomaly.score=nll_is",
        "anomaly.normal_classes=1 anomaly.anomaly_classes=[2,1]", "anomaly.threshold=fixed",
        "anomaly.score=rmse", "anomaly.normal_classes=[]",
        "anomaly.threshold=percentile anomaly.value=3"}) {
    auto result = sweep(bad);
    EXPECT_EQ(result.exit_code, 2) << bad << "\n" << result.output;
    EXPECT_EQ(result.error.rfind("error: ", 0), 0u) << result.error;
    EXPECT_EQ(std::count(result.error.begin(), result.error.end(), '\n'), 1) << result.error;
    EXPECT_FALSE(fs::exists(out_.file("results"))) << bad;
  }
  // What the message says, where it used to run with another setting than the one given.
  for (const auto& [bad, says] :
       {std::pair<std::string, std::string>{
            "model=vae anomaly.score=nll_is eval.is_samples=0",
            "override 'eval.is_samples=0': eval.is_samples: anomaly.score=nll_is estimates each "
            "image's NLL from eval.is_samples importance samples, and it is 0"},
        {"anomaly.normal_classes=[1,1]",
         "anomaly.normal_classes: class 1 is listed more than once in [1, 1] (list each class "
         "once)"}}) {
    auto result = sweep(bad);
    EXPECT_EQ(result.exit_code, 2) << bad << "\n" << result.output;
    EXPECT_NE(result.error.find(says), std::string::npos) << bad << "\n" << result.error;
    EXPECT_FALSE(fs::exists(out_.file("results"))) << bad;
  }
}

TEST_F(AnomalySweep, ShippedSweepsExpand) {
  auto result = testing::run_sweep("--config-dir " + testing::project_configs() +
                                   " -c sweeps/fashion_one_class --dry-run");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("\n#39 : "), std::string::npos) << result.output;  // 40 jobs
  EXPECT_EQ(result.output.find("\n#40 : "), std::string::npos) << result.output;
  result = testing::run_sweep("--config-dir " + testing::project_configs() +
                              " -c sweeps/mnist_one_class --dry-run");
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST_F(AnomalySweep, TheManifoldSweepRunsOnFlatData) {
  auto result = testing::run_sweep("--config-dir " + testing::project_configs() +
                                       " -c sweeps/manifold --quiet --out " + out_.file("results") +
                                       " data.train_size=400 data.test_size=100 trainer.epochs=2",
                                   "AELAB_CACHE_DIR=" + out_.file("cache"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::vector<RunRecord> all = runs();
  ASSERT_EQ(all.size(), 3u);
  for (const RunRecord& run : all) {
    EXPECT_EQ(run.status, "completed") << run.error;
    EXPECT_TRUE(run.images.empty());  // points, not images
    EXPECT_GT(run.metrics.at("test").at("mse"), 0.0);
  }
}

}  // namespace
}  // namespace aelab
