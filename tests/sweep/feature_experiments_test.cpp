// The encoder as a feature extractor, end to end through run_sweep on small data the test
// writes: transfer learning (pretrained here, or from another run's file, with few labels and
// its baselines; the saved classifier reloads to the recorded test results), latent clustering,
// segmentation of mosaics (with and without skips, pretrained encoder) and colourization.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "framework/core/yaml_io.h"
#include "framework/experiment/model_store.h"
#include "framework/experiment/run_inputs.h"
#include "framework/metrics/classification_metrics.h"
#include "framework/models/feature_classifier.h"
#include "framework/results/run_record.h"
#include "tests/sweep/run_sweep_in_child.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

namespace fs = std::filesystem;

class FeatureExperiments : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new testing::ScratchDir();
    testing::write_toy_idx_dataset(data_->file("items"), 240, 60, 12);
  }
  static void TearDownTestSuite() { delete data_; }

  testing::CommandResult sweep(const std::string& arguments) {
    return testing::run_sweep("--config-dir " + testing::project_configs() + " --out " +
                                  out_.file("results") + " --quiet device=cpu " + arguments,
                              "AELAB_CACHE_DIR=" + out_.file("cache"));
  }
  std::vector<RunRecord> runs() {
    std::vector<RunRecord> out;
    for (const auto& entry : fs::directory_iterator(out_.file("results/runs")))
      out.push_back(read_run_file(entry.path().string()));
    std::sort(out.begin(), out.end(),
              [](const RunRecord& a, const RunRecord& b) { return a.overrides < b.overrides; });
    return out;
  }
  std::string idx_data() const {
    return "data=idx data.root=" + data_->file("items") + " data.val_fraction=0.1 ";
  }
  /// A small MLP autoencoder's encoder under a head trained one epoch frozen, one fine-tuned.
  std::string small_transfer() const {
    return idx_data() +
           "experiment=transfer model=mlp_ae model.latent_dim=4 encoder.hidden=[16] "
           "transfer.frozen_epochs=1 transfer.finetune_epochs=1 ";
  }
  std::string mosaic_data() const {
    return "data=fashion_mosaic data.root=" + data_->file("items") +
           " data.canvas=32 data.train_mosaics=40 data.test_mosaics=10 ";
  }

  static testing::ScratchDir* data_;
  testing::ScratchDir out_;
};
testing::ScratchDir* FeatureExperiments::data_ = nullptr;

TEST_F(FeatureExperiments, TransferPretrainsClassifiesWithFewLabelsAndReloads) {
  auto result = sweep(small_transfer() +
                      "trainer.epochs=2 transfer.labels_per_class=3 transfer.min_epoch_samples=50 "
                      "eval.cluster=true eval.cluster_restarts=2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  auto all = runs();
  ASSERT_EQ(all.size(), 1u);
  const RunRecord& run = all[0];
  EXPECT_EQ(run.status, "completed") << run.error;
  const auto& test = run.metrics.at("test");
  for (const char* name : {"accuracy", "accuracy_frozen", "cross_entropy", "cluster_accuracy",
                           "nmi", "ari", "misclustered_auroc"})
    EXPECT_TRUE(test.count(name)) << name;
  EXPECT_EQ(run.metrics.at("train").at("labelled_samples"), 30.0);
  for (const char* baseline : {"raw", "pca", "scratch"})
    EXPECT_TRUE(run.baselines.at(baseline).at("test").count("accuracy")) << baseline;
  EXPECT_TRUE(run.baselines.at("pca").at("test").count("nmi"));
  EXPECT_EQ(run.history.at("pretrain_train").at("loss").size(), 2u);
  EXPECT_EQ(run.history.at("val").at("accuracy").size(), 2u);
  EXPECT_EQ(run.history.at("scratch_train").at("loss").size(), 2u);
  const auto& confusion = run.arrays.at("confusion");
  EXPECT_EQ(confusion.shape, (std::vector<uint64_t>{10, 10}));
  double total = 0;
  for (double count : confusion.values) total += count;
  EXPECT_EQ(total, 60.0);
  EXPECT_EQ(run.arrays.at("cluster_distance").values.size(), 60u);
  EXPECT_NE(run.notes.at("encoder").find("pretrained as an autoencoder: 2 epoch(s) on 216 "
                                         "unlabelled training images (in this run; cached in "),
            std::string::npos)
      << run.notes.at("encoder");
  // The saved classifier, rebuilt from the run file, classifies the test set exactly as recorded.
  auto model = load_run_model(out_.file("results/runs/" + run.run_id + ".h5"));
  auto& classifier = dynamic_cast<FeatureClassifierImpl&>(*model);
  DataSplits data = load_data(parse_yaml(run.config_yaml, "run"));
  Classification again = classify([&](const torch::Tensor& x) { return classifier.logits(x); },
                                  data.split("test"), 10, 2000);
  EXPECT_EQ(again.accuracy, test.at("accuracy"));
  EXPECT_EQ(again.cross_entropy, test.at("cross_entropy"));
  // Other transfer settings on the same pretraining settings reuse the pretrained autoencoder,
  // measured on fewer test images too (no part of pretraining).
  auto more = sweep(small_transfer() +
                    "trainer.epochs=2 transfer.labels_per_class=5 transfer.baselines=[] "
                    "data.test_subset=30");
  ASSERT_EQ(more.exit_code, 0) << more.output;
  for (const RunRecord& other : runs()) {
    if (other.run_id == run.run_id) continue;
    EXPECT_NE(other.notes.at("encoder").find("by an earlier run"), std::string::npos);
    EXPECT_EQ(other.history.at("pretrain_train").at("loss"),
              run.history.at("pretrain_train").at("loss"));
  }
}

TEST_F(FeatureExperiments, ClusteringOfPcaCodesAndPixelsIsCachedForEveryModelOfASeed) {
  const std::string clustered = idx_data() +
                                "model.latent_dim=2 trainer.epochs=1 "
                                "eval.cluster=true eval.cluster_restarts=2 ";
  auto first = sweep(clustered + "model=pca,linear_ae");
  ASSERT_EQ(first.exit_code, 0) << first.output << first.error;
  // Two files: the PCA codes at k=2 and the raw pixels, each clustered once for both models.
  std::vector<fs::path> cached;
  for (const auto& entry : fs::directory_iterator(out_.file("cache")))
    if (entry.path().filename().string().rfind("clusters-", 0) == 0) cached.push_back(entry);
  ASSERT_EQ(cached.size(), 2u);
  auto all = runs();
  ASSERT_EQ(all.size(), 2u);
  for (const char* baseline : {"pca", "raw"})
    EXPECT_EQ(all[0].baselines.at(baseline).at("test"), all[1].baselines.at(baseline).at("test"))
        << baseline;
  // A run on labelled data notes its classes, in class order (the toy labels, 0..9).
  EXPECT_EQ(all[0].notes.at("classes"), "0, 1, 2, 3, 4, 5, 6, 7, 8, 9");
  // Another model of the seed reads them: a cached score changed here is what it records.
  for (const auto& path : cached) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const size_t at = text.find("\ncluster_accuracy ") + 18;
    text.replace(at, text.find('\n', at) - at, "0.125");
    testing::ScratchDir::write_file(path.string(), text);
  }
  auto other = sweep(clustered + "model=mlp_ae encoder.hidden=[16]");
  ASSERT_EQ(other.exit_code, 0) << other.output << other.error;
  int checked = 0;
  for (const auto& run : runs())
    if (run.overrides.find("mlp_ae") != std::string::npos && ++checked)
      for (const char* baseline : {"pca", "raw"})
        EXPECT_EQ(run.baselines.at(baseline).at("test").at("cluster_accuracy"), 0.125) << baseline;
  EXPECT_EQ(checked, 1);
}

TEST_F(FeatureExperiments, LabelsThatAreNotZeroToKMinusOneAreClassesByTheirLabels) {
  // The toy folder with labels 0, 100 and 200 (n % 3 * 100): three classes, named by them; its
  // test images hold 0 and 100 alone.
  testing::ScratchDir gapped;
  testing::write_toy_idx_dataset(gapped.path(), 240, 60, 12);
  auto labels = [](int64_t count, int64_t classes) {
    std::vector<uint8_t> out;
    for (int64_t n = 0; n < count; ++n) out.push_back(static_cast<uint8_t>(n % classes * 100));
    return out;
  };
  testing::write_idx(gapped.file("train-labels-idx1-ubyte.gz"), {240}, labels(240, 3), true);
  testing::write_idx(gapped.file("t10k-labels-idx1-ubyte"), {60}, labels(60, 2), false);
  const std::string data = "data=idx data.root=" + gapped.path() + " data.val_fraction=0.1 ";
  auto clustered = sweep(data +
                         "model=pca model.latent_dim=2 eval.cluster=true "
                         "eval.cluster_restarts=2");
  ASSERT_EQ(clustered.exit_code, 0) << clustered.output << clustered.error;
  // Too few test images to score a clustering by: said, and not recorded.
  auto few = sweep(data + "model=pca model.latent_dim=2 eval.cluster=true data.test_subset=3");
  ASSERT_EQ(few.exit_code, 0) << few.output << few.error;
  EXPECT_NE(few.output.find("warning: eval.cluster=true: 3 test image(s) of 2 class(es), too few "
                            "to score a clustering by"),
            std::string::npos)
      << few.output;
  // The anomaly protocol takes the files' labels; a label no image has is refused by them.
  auto anomaly = sweep(data +
                       "experiment=anomaly model=pca model.latent_dim=2 "
                       "anomaly.normal_classes=100");
  ASSERT_EQ(anomaly.exit_code, 0) << anomaly.output << anomaly.error;
  auto unknown = sweep(data + "experiment=anomaly model=pca anomaly.normal_classes=2");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.error.find("anomaly.normal_classes: no image of the dataset has label 2 "
                               "(its labels: [0, 100, 200])"),
            std::string::npos)
      << unknown.error;
  int checked = 0;
  for (const auto& run : runs()) {
    EXPECT_EQ(run.status, "completed") << run.error;
    EXPECT_EQ(run.notes.at("classes"), "0, 100, 200");
    // k-means took the test labels' 2 clusters (not 201, nor the 3 classes of the files)
    if (run.arrays.count("cluster_centres") && ++checked)
      EXPECT_EQ(run.arrays.at("cluster_centres").shape, (std::vector<uint64_t>{2, 2}));
    if (run.arrays.count("test_classes") && ++checked)  // the normal class is class 1
      for (size_t i = 0; i < run.arrays.at("test_labels").values.size(); ++i)
        EXPECT_EQ(run.arrays.at("test_labels").values[i],
                  run.arrays.at("test_classes").values[i] != 1 ? 1 : 0);
  }
  EXPECT_EQ(checked, 2);
}

TEST_F(FeatureExperiments, TransferJobsRunningAtOncePretrainTheirSharedAutoencoderOnce) {
  // Two workers start the two jobs together: one pretrains, the other waits for its cache.
  auto result =
      sweep(small_transfer() +
            "trainer.epochs=3 transfer.labels_per_class=3,5 transfer.baselines=[] --jobs 2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  auto all = runs();
  ASSERT_EQ(all.size(), 2u);
  int pretrained_here = 0;
  for (const RunRecord& run : all)
    pretrained_here +=
        run.notes.at("encoder").find("(in this run; cached in ") != std::string::npos;
  EXPECT_EQ(pretrained_here, 1) << all[0].notes.at("encoder") << "\n" << all[1].notes.at("encoder");
  EXPECT_EQ(all[0].history.at("pretrain_train").at("loss"),
            all[1].history.at("pretrain_train").at("loss"));
}

TEST_F(FeatureExperiments, TransferTakesTheEncoderOfAnotherRun) {
  auto pretrain = sweep(idx_data() +
                        "model=mlp_ae model.latent_dim=4 encoder.hidden=[16] "
                        "trainer.epochs=1");
  ASSERT_EQ(pretrain.exit_code, 0) << pretrain.output;
  const std::string source = runs()[0].run_id;
  // A job whose model is not the source run's would record a model it did not use.
  auto other_model = sweep(
      idx_data() + "experiment=transfer model=mlp_ae model.latent_dim=8 transfer.from=" + source +
      " --check");
  EXPECT_EQ(other_model.exit_code, 2) << other_model.output;
  EXPECT_NE(
      other_model.error.find("transfer.from: the model of " +
                             out_.file("results/runs/" + source + ".h5") + " is not this job's: "),
      std::string::npos)
      << other_model.error;
  EXPECT_NE(other_model.error.find("model.latent_dim is 4 there, 8 here"), std::string::npos)
      << other_model.error;
  EXPECT_NE(other_model.error.find("(give the same model as that run: its overrides were '"),
            std::string::npos)
      << other_model.error;
  auto result = sweep(idx_data() +
                      "experiment=transfer model=mlp_ae model.latent_dim=4 encoder.hidden=[16] "
                      "transfer.from=" +
                      source +
                      " transfer.frozen_epochs=1 transfer.finetune_epochs=0 "
                      "transfer.baselines=[scratch]");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const RunRecord& run : runs()) {
    if (run.run_id == source) continue;
    EXPECT_EQ(run.status, "completed") << run.error;
    EXPECT_EQ(run.notes.at("encoder"), "from " + out_.file("results/runs/" + source + ".h5"));
    EXPECT_EQ(run.baselines.count("raw"), 0u);
    EXPECT_TRUE(run.baselines.at("scratch").at("test").count("accuracy"));
    // The reloaded classifier rebuilds its encoder from the source run's config.
    EXPECT_NO_THROW(load_run_model(out_.file("results/runs/" + run.run_id + ".h5")));
    // A transfer run file that lost the confusion matrix its class count comes from.
    RunRecord damaged = run;
    damaged.arrays.erase("confusion");
    const std::string copy = out_.file("damaged_transfer.h5");
    write_run_file(copy, damaged);
    EXPECT_EQ(testing::message_of<DataError>([&] { load_run_model(copy); }),
              copy +
                  ": the transfer run has no /arrays/confusion, which gives its number of "
                  "classes (damaged, or not written by run_sweep)");
  }
  // It does no pretraining, so the pretraining's schedule is no part of it: the same run, and
  // the override said to change nothing.
  auto unread = sweep(idx_data() +
                      "experiment=transfer model=mlp_ae model.latent_dim=4 encoder.hidden=[16] "
                      "transfer.from=" +
                      source +
                      " transfer.frozen_epochs=1 transfer.finetune_epochs=0 "
                      "transfer.baselines=[scratch] trainer.epochs=7 --dry-run");
  EXPECT_EQ(unread.exit_code, 0) << unread.output;
  EXPECT_NE(unread.output.find("0 job(s) to run, 1 skipped"), std::string::npos) << unread.output;
  EXPECT_NE(unread.error.find("override 'trainer.epochs=7' changes no job"), std::string::npos)
      << unread.error;
  // The classifiers' optimizer is the trainer's: another one is another run.
  auto read = sweep(idx_data() +
                    "experiment=transfer model=mlp_ae model.latent_dim=4 encoder.hidden=[16] "
                    "transfer.from=" +
                    source +
                    " transfer.frozen_epochs=1 transfer.finetune_epochs=0 "
                    "transfer.baselines=[scratch] trainer.optimizer=sgd --dry-run");
  EXPECT_NE(read.output.find("1 job(s) to run, 0 skipped"), std::string::npos) << read.output;
  // A source run whose config lost its model: one error line, not a crash.
  RunRecord unnamed = read_run_file(out_.file("results/runs/" + source + ".h5"));
  unnamed.config_yaml = "seed: 0\n";
  const std::string unnamed_file = out_.file("unnamed.h5");
  write_run_file(unnamed_file, unnamed);
  auto no_model = sweep(idx_data() + "experiment=transfer transfer.from=" + unnamed_file);
  EXPECT_EQ(no_model.exit_code, 2) << no_model.output;
  EXPECT_NE(no_model.error.find("is not a completed run of a trained autoencoder: its model "
                                "(unnamed) trains nothing (give a reconstruction or anomaly run"),
            std::string::npos)
      << no_model.error;
  // A source trained on samples of another shape: both shapes, and what to give instead.
  RunRecord reshaped = read_run_file(out_.file("results/runs/" + source + ".h5"));
  std::vector<int64_t> data_shape = reshaped.model_input_shape;
  reshaped.model_input_shape = {1, 2, static_cast<int64_t>(data_shape[1] * data_shape[2] / 2)};
  const std::string reshaped_file = out_.file("reshaped.h5");
  write_run_file(reshaped_file, reshaped);
  auto other_shape = sweep(idx_data() +
                           "experiment=transfer model=mlp_ae model.latent_dim=4 "
                           "encoder.hidden=[16] transfer.from=" +
                           reshaped_file);
  EXPECT_EQ(other_shape.exit_code, 2) << other_shape.output;
  EXPECT_NE(other_shape.error.find(fmt::format(
                "was trained on samples of shape [1,2,{}] from data.name=idx, and data.name=idx "
                "has samples of shape [{},{},{}] (give a run trained on this data",
                data_shape[1] * data_shape[2] / 2, data_shape[0], data_shape[1], data_shape[2])),
            std::string::npos)
      << other_shape.error;
  // A transfer run as the source: what it is, not the status and model that look right.
  ASSERT_EQ(runs().size(), 2u);  // the source and one transfer run
  for (const RunRecord& run : runs()) {
    if (run.run_id == source) continue;
    auto classifier = sweep(idx_data() + "experiment=transfer transfer.from=" + run.run_id);
    EXPECT_EQ(classifier.exit_code, 2) << classifier.output;
    EXPECT_NE(classifier.error.find("is not a completed run of a trained autoencoder: it is an "
                                    "experiment=transfer run, whose saved model is not an "
                                    "autoencoder"),
              std::string::npos)
        << classifier.error;
  }
  auto missing = sweep(idx_data() + "experiment=transfer transfer.from=nosuchrun");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.error.find("transfer.from:"), std::string::npos) << missing.error;
  // A path and a bare id hash alike: one run, but the id must still name a run of this folder
  // (a copy of the source elsewhere is not one).
  const std::string source_copy = out_.file("copy/runs/" + source + ".h5");
  std::filesystem::create_directories(out_.file("copy/runs"));
  std::filesystem::copy_file(out_.file("results/runs/" + source + ".h5"), source_copy);
  auto same_id =
      sweep(idx_data() + "experiment=transfer model=mlp_ae model.latent_dim=4 " +
            "encoder.hidden=[16] transfer.from=" + source_copy + "," + source + " --dry-run");
  EXPECT_EQ(same_id.exit_code, 0) << same_id.output;  // the same run, found in both places
  EXPECT_NE(same_id.output.find("(same run as #0"), std::string::npos) << same_id.output;
  std::filesystem::rename(out_.file("results/runs/" + source + ".h5"), out_.file("moved.h5"));
  auto gone =
      sweep(idx_data() + "experiment=transfer model=mlp_ae model.latent_dim=4 " +
            "encoder.hidden=[16] transfer.from=" + source_copy + "," + source + " --dry-run");
  std::filesystem::rename(out_.file("moved.h5"), out_.file("results/runs/" + source + ".h5"));
  EXPECT_EQ(gone.exit_code, 2) << gone.output;
  EXPECT_NE(gone.error.find("transfer.from: " + out_.file("results/runs/" + source + ".h5") +
                            " not found"),
            std::string::npos)
      << gone.error;
  EXPECT_NE(gone.error.find("[in job #1: "), std::string::npos) << gone.error;
  // A reference that is empty, a folder or no run file: the option named, and what to give.
  testing::ScratchDir::write_file(out_.file("garbage.h5"), "not HDF5");
  for (const auto& [reference, says] :
       {std::pair<std::string, std::string>{"''", "transfer.from: empty (give a run id"},
        {out_.file("results"), "transfer.from: " + out_.file("results") +
                                   " is a folder; give one run file in it (" +
                                   out_.file("results") + "/runs/<run id>.h5)"},
        {out_.file("garbage.h5"), "transfer.from: " + out_.file("garbage.h5") + ": "}}) {
    auto wrong = sweep(idx_data() + "experiment=transfer transfer.from=" + reference);
    EXPECT_EQ(wrong.exit_code, 2) << wrong.output;
    EXPECT_NE(wrong.error.find(says), std::string::npos) << reference << "\n" << wrong.error;
  }
  // Settings under which no phase would train the classifier.
  for (const auto& [settings, says] :
       {std::pair<std::string, std::string>{
            "transfer.frozen_epochs=0 transfer.finetune_epochs=0",
            "transfer.finetune_epochs: 0, and so is transfer.frozen_epochs: no phase trains"},
        {"transfer.finetune_lr=0",
         "override 'transfer.finetune_lr=0': transfer.finetune_lr: 0, so the 3 fine-tuning "
         "epoch(s) change nothing"}}) {
    auto idle = sweep(idx_data() + "experiment=transfer " + settings);
    EXPECT_EQ(idle.exit_code, 2) << idle.output;
    EXPECT_NE(idle.error.find(says), std::string::npos) << settings << "\n" << idle.error;
  }
  // Options of an experiment this job does not run: which experiment reads them, not `+`.
  auto elsewhere = sweep(idx_data() + "segmentation.pretrain_epochs=0");
  EXPECT_EQ(elsewhere.exit_code, 2) << elsewhere.output;
  EXPECT_NE(elsewhere.error.find("(segmentation: options of semantic segmentation, which "
                                 "experiment=reconstruction does not read; choose the experiment "
                                 "that does (run_sweep --list experiment)"),
            std::string::npos)
      << elsewhere.error;
  // Not trainer.lr, whose name is alike: the option of another experiment that was written.
  elsewhere = sweep(idx_data() + "transfer.lr=0.1");
  EXPECT_NE(elsewhere.error.find("(transfer: options of transfer learning, which "
                                 "experiment=reconstruction does not read;"),
            std::string::npos)
      << elsewhere.error;
  auto few = sweep(idx_data() + "experiment=transfer transfer.labels_per_class=500");
  EXPECT_EQ(few.exit_code, 2) << few.output;
  EXPECT_NE(few.error.find("transfer.labels_per_class: class 0 has only"), std::string::npos)
      << few.error;
}

TEST_F(FeatureExperiments, SegmentationWithAndWithoutSkipsFromAPretrainedEncoder) {
  const std::string arguments =
      mosaic_data() +
      "experiment=segmentation model=segmenter model.latent_dim=8 encoder.channels=[4,8] "
      "encoder.hidden=[16] decoder.channels=[8,4] decoder.hidden=[16] trainer.epochs=2 "
      "model.skips=true,false segmentation.pretrain_epochs=1 segmentation.saved_maps=3 --jobs=1";
  auto result = sweep(arguments);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  auto all = runs();
  ASSERT_EQ(all.size(), 2u);
  // Skips change the segmenter, not the autoencoder: the second run takes the first's.
  std::vector<std::string> sources;
  for (const RunRecord& run : all)
    for (const char* source : {"(in this run;", "(by an earlier run"})
      if (run.notes.at("encoder").find(source) != std::string::npos) sources.push_back(source);
  std::sort(sources.begin(), sources.end());
  EXPECT_EQ(sources, (std::vector<std::string>{"(by an earlier run", "(in this run;"}))
      << all[0].notes.at("encoder") << "\n"
      << all[1].notes.at("encoder");
  EXPECT_EQ(all[0].history.at("pretrain_train"), all[1].history.at("pretrain_train"));
  // Run again from the cache alone: the same numbers as when the runs pretrained (or took the
  // first one's autoencoder), since the cache keeps the random state pretraining left.
  fs::remove_all(out_.file("results"));
  auto again = sweep(arguments);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  auto rerun = runs();
  ASSERT_EQ(rerun.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(rerun[i].run_id, all[i].run_id);
    EXPECT_NE(rerun[i].notes.at("encoder").find("(by an earlier run"), std::string::npos);
    EXPECT_EQ(rerun[i].metrics, all[i].metrics) << rerun[i].run_id;
  }
  for (const RunRecord& run : all) {
    EXPECT_EQ(run.status, "completed") << run.error;
    const auto& test = run.metrics.at("test");
    EXPECT_GE(test.at("miou"), 0.0);
    EXPECT_LE(test.at("miou"), 1.0);
    EXPECT_TRUE(test.count("iou_00") && test.count("iou_10"));
    EXPECT_TRUE(run.baselines.at("majority").at("test").count("miou"));
    EXPECT_GT(run.baselines.at("ink").at("test").at("pixel_accuracy"), 0.0);
    EXPECT_EQ(run.arrays.at("predicted_maps").shape, (std::vector<uint64_t>{3, 32, 32}));
    EXPECT_EQ(run.arrays.at("true_maps").shape, (std::vector<uint64_t>{3, 32, 32}));
    EXPECT_EQ(run.images.at("inputs").shape, (std::vector<uint64_t>{3, 1, 32, 32}));
    EXPECT_EQ(run.history.at("pretrain_train").at("loss").size(), 1u);
    EXPECT_NE(run.notes.at("encoder").find("pretrained as an autoencoder: 1 epoch(s) on "),
              std::string::npos)
        << run.notes.at("encoder");
    EXPECT_NE(run.notes.at("encoder").find("; its encoder's "), std::string::npos)
        << run.notes.at("encoder");
  }
  auto wrong = sweep(mosaic_data() +
                     "experiment=segmentation model=segmenter "
                     "model.num_classes=5");
  EXPECT_EQ(wrong.exit_code, 2) << wrong.output;
  EXPECT_NE(wrong.error.find("model.num_classes: data.name=fashion_mosaic has 11 classes"),
            std::string::npos)
      << wrong.error;
}

TEST_F(FeatureExperiments, ColourizationLearnsColoursFromGreyInputs) {
  auto result =
      sweep(mosaic_data() +
            "data.colour=true noise=grayscale model=conv_ae model.latent_dim=8 decoder.skips=true "
            "encoder.channels=[8,8] encoder.hidden=[32] trainer.epochs=2 eval.cluster=true");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // Mosaics have no classes to cluster by: the sweep says so once, in its checks before the
  // job starts; the run records it as a note.
  EXPECT_NE(result.output.find("\nwarning: eval.cluster=true: data.name=fashion_mosaic has no "
                               "classes to compare clusters with; no clustering recorded"),
            std::string::npos)
      << result.output;
  const RunRecord run = runs()[0];
  EXPECT_EQ(run.status, "completed") << run.error;
  EXPECT_FALSE(run.metrics.at("test").count("cluster_accuracy"));
  EXPECT_NE(run.notes.at("clustering").find("has no classes"), std::string::npos);
  EXPECT_EQ(result.output.find("[#0] warning: eval.cluster"), std::string::npos) << result.output;
  EXPECT_TRUE(run.metrics.at("test").count("denoise_psnr"));
  EXPECT_TRUE(run.metrics.at("test").count("noisy_psnr"));
  EXPECT_EQ(run.images.at("reconstructions").shape[1], 3u);
}

}  // namespace
}  // namespace aelab
