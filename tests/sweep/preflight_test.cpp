// Mistakes that only the dataset or the machine reveal are caught before the first job: exit 2,
// one `error:` line naming the override and the job, and no results or cache folder written.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "framework/models/encoder.h"
#include "framework/results/result_table.h"
#include "framework/results/results_folder.h"
#include "framework/results/run_record.h"
#include "tests/sweep/run_sweep_in_child.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

namespace fs = std::filesystem;

class Preflight : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new testing::ScratchDir();
    testing::write_toy_idx_dataset(data_->path(), 300, 100, 8);  // 8x8 images, labels 0..9
  }
  static void TearDownTestSuite() { delete data_; }

  testing::CommandResult sweep(const std::string& arguments, const std::string& out = "") {
    return testing::run_sweep(
        "--config-dir " + testing::project_configs() + " --cache-dir " + out_.file("cache") +
        " --out " + (out.empty() ? out_.file("results") : out) + " " +
        (data_arguments_.empty() ? "data=idx data.root=" + data_->path() : data_arguments_) +
        " trainer.epochs=1 --quiet " + arguments);
  }

  /// Exit 2, one line on stderr starting with `error: ` and holding each of `parts`, no results
  /// folder, and nothing in the cache but decoded datasets.
  void expect_refused(const std::string& arguments, const std::vector<std::string>& parts,
                      const std::string& out = "") {
    auto result = sweep(arguments, out);
    EXPECT_EQ(result.exit_code, 2) << arguments << "\n" << result.output;
    EXPECT_EQ(result.error.rfind("error: ", 0), 0u) << arguments << "\n" << result.error;
    EXPECT_EQ(std::count(result.error.begin(), result.error.end(), '\n'), 1) << result.error;
    for (const auto& part : parts)
      EXPECT_NE(result.error.find(part), std::string::npos)
          << arguments << "\nmissing: " << part << "\nin: " << result.error;
    EXPECT_FALSE(fs::exists(out_.file("results"))) << arguments << " wrote results";
    // The datasets a check loads are decoded into the cache, as a run's are; nothing else is.
    if (fs::exists(out_.file("cache")))
      for (const auto& entry : fs::directory_iterator(out_.file("cache")))
        EXPECT_EQ(entry.path().filename(), "decoded") << arguments << " wrote " << entry.path();
  }

  static testing::ScratchDir* data_;
  testing::ScratchDir out_;
  std::string data_arguments_;  ///< "": the toy IDX images
};
testing::ScratchDir* Preflight::data_ = nullptr;

TEST_F(Preflight, DevicesThisMachineLacks) {
  if (torch::cuda::is_available()) {
    const auto count = std::to_string(torch::cuda::device_count());
    expect_refused("device=cuda:99", {"device: 'cuda:99' asked for, but this machine shows " +
                                      count + " CUDA device(s) (use cuda:0 to cuda:"});
  } else {
    expect_refused("device=cuda", {"override 'device=cuda': device: 'cuda' asked for",
                                   "sees no CUDA device (use device=auto or cpu)"});
  }
  // No machine has a hundredth GPU: the error names the job that asks for one.
  expect_refused(
      "device=cuda:99 model.latent_dim=2,4",
      {"override 'device=cuda:99'", "[in job #0: ", "device=cuda:99 model.latent_dim=2]"});
}

TEST_F(Preflight, ARunFileGivenForAConfigIsSaidToBeOne) {
  const std::string run_file = out_.file("elsewhere/run.h5");
  testing::ScratchDir::write_file(run_file, std::string("\x89HDF\r\n\x1a\n\0\0", 10));
  expect_refused("-c " + run_file, {"error: " + run_file +
                                    ": not a YAML config but binary data (an HDF5 file); "
                                    "give a .yaml config file"});
}

TEST_F(Preflight, HydrasOwnSettingsSayWhereAelabKeepsThem) {
  for (const std::string setting :
       {"hydra.run.dir=/tmp/x", "+hydra.run.dir=/tmp/x", "hydra/launcher=basic"})
    expect_refused(setting, {"override '" + setting,
                             "(aelab has no hydra section: the results "
                             "folder is run_sweep --out DIR"});
}

TEST_F(Preflight, AZipBesideTheConfigsKeysSaysItGoesUnderSweep) {
  const std::string config = out_.file("own/zipped.yaml");
  testing::ScratchDir::write_file(
      config, "defaults:\n  - /config\n  - _self_\nzip:\n  model.latent_dim: [2, 4]\n");
  expect_refused("-c " + config, {"error: " + config +
                                  ":4:1: zip: unknown top-level key (a zip of lists goes "
                                  "under sweep:, as in configs/sweeps/paired_lr.yaml)"});
}

TEST_F(Preflight, AnOptionAnOwnConfigFileLeavesOutIsAddedWithPlus) {
  testing::ScratchDir::write_file(out_.file("own/encoder/tiny.yaml"),
                                  "name: mlp\nactivation: relu\n");
  testing::ScratchDir::write_file(out_.file("own/mine.yaml"),
                                  "defaults:\n  - /config\n  - override /encoder: tiny\n"
                                  "  - override /decoder: mlp\n  - _self_\n");
  expect_refused("-c " + out_.file("own/mine.yaml") + " encoder.hidden=[64]",
                 {"error: override 'encoder.hidden=[64]': encoder.hidden: no such key in the "
                  "config (encoder takes hidden, which its config file leaves out; add it with "
                  "+encoder.hidden=[64])"});
  // Misspelled, it is suggested with its `+` at once.
  expect_refused("-c " + out_.file("own/mine.yaml") + " encoder.hiden=[64]",
                 {"error: override 'encoder.hiden=[64]': encoder.hiden: no such key in the config "
                  "(did you mean '+encoder.hidden=[64]'? encoder takes hidden, which its config "
                  "file leaves out)"});
}

TEST_F(Preflight, MistakesOfAHydraUsersOwnConfig) {
  // A name that takes a swept key's value would be a results folder per job.
  testing::ScratchDir::write_file(
      out_.file("own/named.yaml"),
      "defaults:\n  - /config\n  - _self_\nname: run_${model.latent_dim}\n");
  expect_refused("-c " + out_.file("own/named.yaml") + " model.latent_dim=2,4",
                 {"named.yaml:4:7: name: the sweep's name is 'run_2' in job #0 and 'run_4' in "
                  "job #1 (",
                  "model.latent_dim=4): a sweep has one name, which its runs record and its "
                  "results folder takes, so its name may not take a swept key's value"});
  // One value of a sweep is quoted as the sweep was typed.
  expect_refused("trainer.lr=1e-3,abc",
                 {"error: override 'trainer.lr=1e-3,abc': trainer.lr: expected a number, got "
                  "string 'abc'"});
  // An item of a list made wrong: the override is named, not the encoder's file.
  expect_refused("encoder.hidden.0=x", {"error: override 'encoder.hidden.0=x': encoder.hidden"});
  // Hydra's -cd: an encoder option of one's own folder is a choice.
  testing::ScratchDir::write_file(out_.file("own/encoder/tiny.yaml"), "name: mlp\nhidden: [4]\n");
  testing::CommandResult result =
      testing::run_sweep("-cd " + out_.file("own") + " --dry-run encoder=tinyy");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.error.find("no option 'tinyy' in group 'encoder' (did you mean 'tiny'?"),
            std::string::npos)
      << result.error;
  // A results folder's job file is no config: --reproduce reruns its run.
  testing::ScratchDir::write_file(out_.file("own/job.yaml"), "run_id: 0123abcd\nconfig: {}\n");
  result = testing::run_sweep("-c " + out_.file("own/job.yaml") + " --dry-run");
  EXPECT_NE(result.error.find("job.yaml:1:9: run_id: unknown top-level key (a job file of a "
                              "results folder: run it again with run_sweep --reproduce"),
            std::string::npos)
      << result.error;
  // A config of a few keys and no defaults list lacks the rest: say where to start from.
  testing::ScratchDir::write_file(out_.file("own/few.yaml"), "seed: 3\n");
  result = testing::run_sweep("-c " + out_.file("own/few.yaml") + " --dry-run");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.error, "error: " + out_.file("own/few.yaml") +
                              ":1:1: the config has no model and no experiment; start from the "
                              "project's config with a defaults list, 'defaults: [/config, "
                              "_self_]', then the keys to change\n");
}

/// An encoder of one's own that breaks the encoders' contract: its codes are one wider than
/// model.latent_dim (registered in this program alone, which run_sweep runs as its child).
struct OneTooWideOptions {
  bool bias = true;
  template <class V>
  void visit(V& v) {
    v("bias", bias, "as the linear encoder's");
  }
};
class OneTooWideEncoder : public EncoderImpl {
 public:
  OneTooWideEncoder(OneTooWideOptions, const BuildContext& context)
      : layer_(register_module("to_code",
                               torch::nn::Linear(context.input_size(), context.latent_dim + 1))) {}
  torch::Tensor forward(const torch::Tensor& input) override {
    return layer_->forward(input.flatten(1));
  }

 private:
  torch::nn::Linear layer_;
};
AELAB_REGISTER_PLUGIN(encoder_registry(), "one_too_wide", OneTooWideEncoder, OneTooWideOptions)
    .describe("a test's encoder whose codes are one too wide");

TEST_F(Preflight, AnEncoderWhoseCodesAreNotLatentDimWideIsNamed) {
  expect_refused("model=linear_ae encoder.name=one_too_wide model.latent_dim=4",
                 {"encoder.name: encoder 'one_too_wide' gives codes of shape [2,5] for 2 samples, "
                  "which the rest of the model cannot take (model.latent_dim is 4;"});
}

TEST_F(Preflight, PcaWithMoreComponentsThanTheDataHas) {
  expect_refused("model=pca model.latent_dim=100",
                 {"override 'model.latent_dim=100': model.latent_dim: 100 exceeds the 64 input "
                  "dimensions"});
  // 20 images: 18 train, so the basis has at most 18 components.
  expect_refused("model=pca data.subset=20 model.latent_dim=30",
                 {"exceeds the rank 18 of the training set (use more data, or at most "
                  "model.latent_dim=18)"});
  // More than the input's dimensions: the bound suggested is the rank, where that is lower.
  expect_refused("model=pca data.subset=20 model.latent_dim=100",
                 {"100 exceeds the 64 input dimensions of PCA (use at most model.latent_dim=18)"});
  // Only the second job is wrong: the error names it, and the first never ran.
  expect_refused("model=pca model.latent_dim=8,100",
                 {"[in job #1: ", "model=pca model.latent_dim=100]"});
}

TEST_F(Preflight, ConvEncodersDeeperThanTheImageAndEvenKernels) {
  expect_refused("model=conv_ae encoder.channels=[4,4,4,4]",
                 {"override 'encoder.channels=[4,4,4,4]': encoder.channels: 4 stages are too many "
                  "for 8x8 images",
                  "use at most 3 entries"});
  expect_refused("model=conv_ae encoder.kernel=4", {"encoder.kernel: expected an odd value >= 1"});
  expect_refused("model=conv_ae decoder.kernel=2", {"decoder.kernel: expected an odd value >= 1"});
  // Without --quiet too: the error stands alone, without the line on the data it was found on.
  auto said = testing::run_sweep("--config-dir " + testing::project_configs() + " --out " +
                                 out_.file("results") + " --cache-dir " + out_.file("cache") +
                                 " data=idx data.root=" + data_->path() +
                                 " model=conv_ae encoder.channels=[4,4,4,4]");
  EXPECT_EQ(said.exit_code, 2) << said.output;
  EXPECT_EQ(said.output, said.error) << "more than the error line:\n" << said.output;
}

TEST_F(Preflight, SplitsLeftEmptyBySubsetOrFraction) {
  expect_refused("data.subset=4", {"data.val_fraction: 0.1 of 4 training images is an empty "
                                   "validation split",
                                   "data.val_fraction=0"});
  expect_refused("data.subset=5000", {"override 'data.subset=5000': data.subset: 5000 is more "
                                      "than the 300 training images"});
  expect_refused("data.subset=2 data.val_fraction=0.5",
                 {"data.val_fraction: leaves fewer than 2 training images"});
  expect_refused("data.test_subset=101",
                 {"override 'data.test_subset=101': data.test_subset: 101 is more than the 100 "
                  "test images in " +
                  data_->path() + " (lower it, or null for all)"});
  expect_refused("data.test_subset=0", {"data.test_subset", ">= 1"});
  auto check = sweep("model=mlp_ae data.test_subset=40 model.latent_dim=2 --check");
  ASSERT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("270 train / 30 val / 40 test"), std::string::npos) << check.output;
}

TEST_F(Preflight, NoValidationSplitTrainsOnEveryImage) {
  auto check = sweep("model=mlp_ae data.val_fraction=0 model.latent_dim=2 --check");
  ASSERT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("300 train / 0 val / 100 test"), std::string::npos) << check.output;
  // --quiet: the job's line and the tally, not what each dataset holds or where jobs run.
  auto result = sweep("model=mlp_ae data.val_fraction=0 model.latent_dim=2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output.rfind("[#0] completed  ", 0), 0u) << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 2) << result.output;
  std::vector<RunRecord> runs = read_results(out_.file("results"));
  ASSERT_EQ(runs.size(), 1u);
  RunRecord run = read_run_file(out_.file("results/runs/" + runs[0].run_id + ".h5"));
  EXPECT_EQ(run.status, "completed");
  EXPECT_TRUE(run.metrics.count("train") && run.metrics.count("test"));
  EXPECT_FALSE(run.metrics.count("val"));
}

TEST_F(Preflight, TrainingThatMayNotBeMeantIsAWarningOnce) {
  auto result =
      sweep("model=linear_ae model.latent_dim=2 trainer.epochs=0,1 trainer.batch_size=1000");
  ASSERT_EQ(result.exit_code, 0) << result.output << result.error;
  EXPECT_NE(result.error.find("warning: trainer.epochs=0: the model is tested as initialized, "
                              "without training\n"),
            std::string::npos)
      << result.error;
  const std::string whole_batch =
      "warning: trainer.batch_size=1000 is more than the 270 training samples of data.name=idx: "
      "each epoch is one optimizer step\n";
  EXPECT_NE(result.error.find(whole_batch), std::string::npos) << result.error;
  EXPECT_EQ(result.error.find(whole_batch), result.error.rfind(whole_batch));
}

TEST_F(Preflight, AnomalyClassesTheDatasetLacks) {
  expect_refused("experiment=anomaly model=mlp_ae anomaly.normal_classes=12",
                 {"override 'anomaly.normal_classes=12': anomaly.normal_classes: class 12 is not "
                  "a class of the dataset (choose 0..9)"});
  expect_refused(
      "experiment=anomaly model=mlp_ae anomaly.normal_classes=0 "
      "'anomaly.anomaly_classes=[1,10]'",
      {"anomaly.anomaly_classes: class 10 is not a class of the dataset"});
  // Too few images for a class: the override that made the splits small is blamed.
  // A sweep of the 10 classes as normal, one job each: 10 images leave 1 for validation, so
  // most jobs' class has no image there (or none to train on); the first such job is named.
  expect_refused(
      "experiment=anomaly model=mlp_ae 'anomaly.normal_classes=range(10)' data.subset=10",
      {"override 'data.subset=10': data.subset: the ",
       " split holds no image of the normal classes [", "(raise data.subset or "});
}

TEST_F(Preflight, AModelTooLargeForMemoryNamesTheSizesTheOverridesSet) {
  // 1e13 components of 32 dimensions: more bytes than any address space holds, whatever the
  // machine's overcommit, so the allocation fails at once.
  expect_refused("model=vae prior=mog model.kl_warmup_epochs=3 prior.components=10000000000000",
                 {"override 'prior.components=10000000000000': prior.components: building the "
                  "model takes more memory than this machine has (",
                  " GB for one tensor): check its sizes, such as those the overrides set: "
                  "prior.components=10000000000000, model.kl_warmup_epochs=3"});
}

TEST_F(Preflight, TrainingSetupsThatWouldFailOnceTrainingStarts) {
  expect_refused("model=mlp_ae trainer.init_from=nosuchrun",
                 {"override 'trainer.init_from=nosuchrun': trainer.init_from: " +
                  out_.file("results") + "/runs/nosuchrun.h5 not found"});
  const std::string not_a_run = out_.write("not_a_run.h5", "text\n");
  expect_refused("model=mlp_ae trainer.init_from=" + not_a_run,
                 {"trainer.init_from: " + not_a_run + ": not a readable HDF5 file"});
  expect_refused("model=mlp_ae 'trainer.param_groups=[{params: decodr, lr: 1e-4}]'",
                 {"trainer.param_groups[0].params: 'decodr' names no parameter of the model "
                  "(its modules: encoder, decoder)"});
  // Phases that would change nothing: one after the last epoch, one that freezes everything.
  expect_refused("model=mlp_ae 'trainer.phases=[{from_epoch: 5, lr_scale: 0.1}]'",
                 {"trainer.phases: the phase from epoch 5 never starts, since trainer.epochs=1 "
                  "ends before it"});
  expect_refused("model=mlp_ae 'trainer.phases=[{from_epoch: 1, freeze: [encoder, decoder]}]'",
                 {"trainer.phases: the phase from epoch 1 freezes every parameter ([encoder, "
                  "decoder]), so epochs 1 to 1 train nothing"});
  expect_refused("model=mlp_ae 'trainer.phases=[{from_epoch: 1, freeze: [encodr]}]'",
                 {"trainer.phases: freeze: 'encodr' names no parameter"});
}

TEST_F(Preflight, ObjectivesThatReadOutputsTheModelLacks) {
  expect_refused("model=mlp_ae objective=cross_entropy",
                 {"objective.name: cross_entropy does not fit this experiment's model: the model "
                  "gives no 'logits' output (it gives: code, reconstruction)"});
  expect_refused("experiment=anomaly model=mlp_ae objective=reconstruction,pixel_cross_entropy",
                 {"objective.name: pixel_cross_entropy does not fit", "[in job #1: "});
}

TEST_F(Preflight, InitFromARunWhoseWeightsAreDamagedBlamesTheFileNotTheModel) {
  ASSERT_EQ(sweep("model=mlp_ae", out_.file("source")).exit_code, 0);
  fs::remove_all(out_.file("cache"));
  const std::string source =
      out_.file("source/runs/" + read_results(out_.file("source"))[0].run_id + ".h5");
  RunRecord damaged = read_run_file(source);
  damaged.model_state = {'n', 'o', 't', ' ', 'a', 'n', ' ', 'a', 'r', 'c', 'h', 'i', 'v', 'e'};
  write_run_file(source, damaged);
  expect_refused(
      "model=mlp_ae trainer.init_from=" + source,
      {"trainer.init_from: " + source + ": the saved model weights are not a LibTorch archive (",
       "the file is damaged: rerun the run that wrote it"});
}

TEST_F(Preflight, ConvLayersThatDoNotFitTheImages) {
  // The toy images are 8x8: a kernel wider than them, and decoder stages past what they need.
  expect_refused("model=conv_ae encoder.kernel=9",
                 {"encoder.kernel: 9 is wider than the 8x8 images, so the first convolution "
                  "would see mostly padding (use an odd kernel of at most 7, such as 3 or 5)"});
  expect_refused("model=conv_ae decoder.kernel=9",
                 {"decoder.kernel: 9 is wider than the 8x8 images it makes"});
  expect_refused("model=conv_ae encoder.channels=[4] decoder.channels=[4,4,4,4]",
                 {"decoder.channels: 4 stages are more than 8x8 images need: from a 1x1 map, 3 "
                  "stage(s) reach 8x8 already (use at most 3 entries in decoder.channels)"});
}

TEST_F(Preflight, ImageModelsOnDataThatIsNotImages) {
  data_arguments_ = "data=parabola";
  // Points in the plane (data=parabola) through conv layers: an error per job, before any runs.
  // The decoder follows the encoder: the error names the encoder, which the user chose.
  expect_refused("data=parabola model=conv_ae",
                 {"encoder/conv.yaml:2:7: encoder.name: the conv encoder needs images [C, H, W], "
                  "and these samples have 1 dimension(s) (use encoder=mlp, or model=mlp_ae)"});
  expect_refused("data=parabola encoder=conv", {"encoder.name: the conv encoder needs images"});
  expect_refused("data=parabola decoder=mlp,conv",
                 {"decoder.name: the conv decoder makes images", "[in job #1: "});
  expect_refused("data=parabola encoder=conv decoder=mlp",
                 {"encoder.name: the conv encoder needs images [C, H, W]"});
  // Experiments that need classes, on points without any: where the data is chosen.
  expect_refused("data=parabola experiment=transfer",
                 {"data/parabola.yaml:2:7: data.name: transfer learning needs class labels, and "
                  "parabola has no classes to tell apart (every training label is 0; use labelled "
                  "data, such as data=fashion_mnist)"});
  expect_refused("data=parabola experiment=anomaly",
                 {"data.name: anomaly detection tells normal classes from the others, and "
                  "parabola has no classes to tell apart"});
  // Noise that overflows float: samples no model can learn from, refused before any run.
  expect_refused("data=parabola noise=grayscale",
                 {"noise/grayscale.yaml:2:7: noise.name: grayscale needs colour images"});
  // The data options that overrides set are named as the likely cause.
  expect_refused("data=parabola model=pca,mlp_ae data.noise_std=1e308",
                 {"data: the train split of data.name=parabola holds values that are not finite "
                  "(NaN or inf), which no model can learn from (check data.noise_std, which "
                  "overrides set, and the data's options",
                  "[in job #0: "});
  expect_refused("data=parabola data.noise_std=1e308 data.train_size=50",
                 {"check data.train_size, data.noise_std, which overrides set"});
}

TEST_F(Preflight, NoiseThatLeavesTheImagesAsTheyAre) {
  // The toy images are grey: removing their colour would train the identity.
  expect_refused("noise=grayscale", {"noise/grayscale.yaml:2:7: noise.name: grayscale leaves these "
                                     "one-channel images as they are"});
}

TEST_F(Preflight, CommandLineValuesAndNames) {
  expect_refused("--jobs -1", {"--jobs: expected 0 (the launcher's setting) or more"});
  expect_refused("--max-jobs 0", {"--max-jobs: expected at least 1"});
  expect_refused("name=..", {"override 'name=..': name: expected the sweep's name, a folder name"});
  expect_refused("name=.", {"(not '.' or '..')"});
  expect_refused("'name=a b'", {"name: expected the sweep's name"});
  expect_refused("name=true", {"name: expected the sweep's name"});
  auto year = sweep("name=2024 --dry-run");  // digits type as an int and still name a folder
  EXPECT_EQ(year.exit_code, 0) << year.output;
  expect_refused("'modél.latent_dim=3'", {"expected '=', got 'é' at column 4"});
  expect_refused("$(printf 'model.latent_dim=8\\001')", {"got string '8\\x01'"});
  expect_refused("'trainer.phases=[{from_epoch: 0}]'",
                 {"override 'trainer.phases=[{from_epoch: 0}]': trainer.phases[0].from_epoch: "
                  "expected a value >= 1, got '0'"});
  auto empty_out = sweep("", "''");
  EXPECT_EQ(empty_out.exit_code, 2) << empty_out.output;
  EXPECT_EQ(empty_out.error,
            "error: --out: the folder name is empty (leave --out out for results/<name>)\n");
}

TEST_F(Preflight, ValuesNoOptionTakes) {
  expect_refused("trainer.lr=inf",
                 {"override 'trainer.lr=inf': trainer.lr: expected a finite number, got inf"});
  expect_refused("trainer.lr=1e400", {"trainer.lr: expected a finite number"});
  expect_refused("trainer.lr=NaN", {"trainer.lr: expected a finite number, got 'nan'"});
  expect_refused("name=café", {"name: expected the sweep's name, a folder name of ASCII letters"});
  expect_refused("'trainer.param_groups=[{params: decoder, lr: .inf}]'",
                 {"trainer.param_groups[0].lr: expected a finite number"});
  expect_refused("--threads 100000", {"--threads: expected 1 to 256"});
  expect_refused("'trainer.init_modules=[encoder]'",
                 {"trainer.init_modules: takes effect only with trainer.init_from"});
  expect_refused("'+x=${oc.nosuch:y}'", {"uses the resolver 'oc.nosuch', which aelab does not"});
}

TEST_F(Preflight, AnomalyRunsNeedAValidationSplit) {
  expect_refused("experiment=anomaly model=mlp_ae data.val_fraction=0",
                 {"override 'data.val_fraction=0': data.val_fraction: an anomaly run needs a "
                  "validation split"});
}

TEST_F(Preflight, DamagedRunFilesAreMovedAsideAndRunAgain) {
  ASSERT_EQ(sweep("model=pca model.latent_dim=2,3").exit_code, 0);
  std::vector<RunRecord> runs = read_results(out_.file("results"));
  ASSERT_EQ(runs.size(), 2u);
  const std::string damaged = out_.file("results/runs/" + runs[0].run_id + ".h5");
  testing::ScratchDir::write_file(damaged, "half a file");
  auto again = sweep("model=pca model.latent_dim=2,3");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find(damaged + ": not a readable HDF5 file; moved to " + damaged +
                              ".damaged and run again"),
            std::string::npos)
      << again.output;
  EXPECT_NE(again.output.find("1 completed, 0 diverged, 0 failed, 1 skipped"), std::string::npos)
      << again.output;
  // --quiet: one line counts the jobs left out, rather than one line each.
  EXPECT_NE(again.output.find("1 job(s) skipped: completed or diverged earlier\n"),
            std::string::npos)
      << again.output;
  EXPECT_EQ(again.output.find("skipped: completed earlier"), std::string::npos) << again.output;
  EXPECT_TRUE(fs::exists(damaged + ".damaged"));
  EXPECT_EQ(read_run_summary(damaged).status, "completed");
  EXPECT_EQ(read_results(out_.file("results")).size(), 2u);
  // A config that is no longer YAML makes a damaged run file too: its job runs again.
  const std::string bad_config = out_.file("results/runs/" + runs[1].run_id + ".h5");
  if (testing::run_command("/usr/bin/python3 -c \"import h5py; f = h5py.File('" + bad_config +
                           "', 'a'); f.attrs['config_yaml'] = 'model: [x'; f.close()\"")
          .exit_code != 0)
    GTEST_SKIP() << "python3-h5py is not installed";
  auto third = sweep("model=pca model.latent_dim=2,3");
  ASSERT_EQ(third.exit_code, 0) << third.output;
  EXPECT_NE(third.output.find(bad_config + " (config_yaml):1:8: invalid YAML"), std::string::npos)
      << third.output;
  EXPECT_NE(third.output.find("moved to " + bad_config + ".damaged and run again"),
            std::string::npos)
      << third.output;
}

TEST_F(Preflight, ForcedOptionsReachThePluginsThatTakeThem) {
  // ++model.beta=2 over model=pca,vae: the VAE job takes it, the PCA job leaves it out.
  auto both = sweep("model=pca,vae ++model.beta=2 --cfg job");
  ASSERT_EQ(both.exit_code, 0) << both.error;
  const size_t vae = both.output.find("name: vae");
  ASSERT_NE(vae, std::string::npos) << both.output;
  EXPECT_NE(both.output.find("beta: 2.0", vae), std::string::npos) << both.output;
  EXPECT_EQ(both.output.find("beta:"), both.output.find("beta: 2.0", vae)) << both.output;
  // A key no model takes is still refused, and one that no job takes is a warning.
  expect_refused("model=pca,vae ++model.betaa=2", {"model.betaa: unknown option for model 'pca'"});
  auto pca = sweep("model=pca ++model.beta=2 --dry-run");
  EXPECT_NE(pca.error.find("warning: override '++model.beta=2' changes no job"), std::string::npos)
      << pca.error;
}

TEST_F(Preflight, AFilesOptionOfAnotherPluginNamesTheChoiceThatTakesIt) {
  // The colourization sweep sets the mosaics' colour, which the toy IDX data does not take ...
  expect_refused("-c sweeps/colourization",
                 {"colourization.yaml:18:11: data.colour: unknown option for data 'idx' (known: "
                  "root, subset, test_subset, val_fraction, split_seed); it is an option of "
                  "data=fashion_mosaic: choose it with data=fashion_mosaic on the command line, "
                  "or delete this option with ~data.colour there"});
  // ... and a conv encoder's channels, where model=vae chooses an MLP encoder.
  data_arguments_ = "--dry-run";  // the sweep's own data, never loaded
  expect_refused("-c sweeps/colourization model=vae",
                 {"colourization.yaml:25:13: encoder.channels: unknown option for encoder 'mlp' "
                  "(known: hidden, activation); it is an option of encoder=conv: choose it with "
                  "encoder=conv on the command line, or delete this option with "
                  "~encoder.channels there"});
  // An option of two plugins, in a researcher's own config: either is named.
  const std::string own = out_.write("noisy.yaml",
                                     "defaults:\n  - /config\n  - override /noise: masking\n"
                                     "  - _self_\nnoise:\n  fraction: 0.3\n");
  expect_refused("-c " + own + " noise=gaussian",
                 {"noisy.yaml:6:13: noise.fraction: unknown option for noise 'gaussian' (known: "
                  "sigma); it is an option of noise=masking and noise=salt_pepper: choose one "
                  "with noise=masking on the command line, or delete this option with "
                  "~noise.fraction there"});
}

TEST_F(Preflight, JobsThatAreTheSameRunRunOnce) {
  // PCA reads no trainer section: the two learning rates give one run.
  auto result = sweep("model=pca trainer.lr=0.1,0.2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("1 job(s) are the same run as an earlier job of the sweep (the "
                               "same config once normalized; --dry-run says why): run once"),
            std::string::npos)
      << result.output;
  // The last line counts every job of the sweep.
  EXPECT_NE(result.output.find("2 job(s): 1 completed, 0 diverged, 0 failed, 0 skipped, 1 the "
                               "same run as an earlier job;"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(read_results(out_.file("results")).size(), 1u);
  // --dry-run says why each is the same run: what differs, or nothing at all.
  auto dry = sweep("model=pca trainer.lr=0.1,0.2 seed=1,1 --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find(" trainer.lr=0.1 seed=1  (same run as #0, "), std::string::npos)
      << dry.output;
  EXPECT_NE(dry.output.find(": the same overrides)\n#2 : "), std::string::npos) << dry.output;
  EXPECT_NE(dry.output.find(": what differs, trainer.lr, is not read by this run)\n"),
            std::string::npos)
      << dry.output;
  // A group that the job leaves out (a prior, for PCA) is not read either.
  auto groups = sweep("model=pca prior=normal,vamp --dry-run");
  EXPECT_NE(groups.output.find(": what differs, prior, is not read by this run)\n"),
            std::string::npos)
      << groups.output;
}

TEST_F(Preflight, FoldersThatCannotBeWritten) {
  const std::string file = out_.write("a_file", "not a folder\n");
  expect_refused("", {"results folder '" + file + "/results': '" + file + "' is a file"},
                 file + "/results");
  expect_refused("", {"results folder '/proc/aelab-results'", "cannot write in '/proc'"},
                 "/proc/aelab-results");
  for (const char* mode : {"", "--dry-run", "--check"})  // each the same error, exit 2
    expect_refused(mode, {"is longer than 255 characters"}, out_.file(std::string(300, 'r')));
  testing::ScratchDir other;
  other.write("runs", "a file where the run files go\n");
  expect_refused("",
                 {"results folder '" + other.path() + "': '" + other.path() +
                  "/runs' is a file, not a folder"},
                 other.path());
  fs::create_directory_symlink(other.file("loop"), other.file("loop"));
  expect_refused("",
                 {"'" + other.file("loop") +
                  "' cannot be used: Too many levels of symbolic "
                  "links"},
                 other.file("loop"));
  auto result = testing::run_sweep("--config-dir " + testing::project_configs() + " --cache-dir " +
                                   file + "/cache --out " + out_.file("results") +
                                   " data=idx data.root=" + data_->path() + " model=pca");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_EQ(result.error, "error: cache folder (--cache-dir or AELAB_CACHE_DIR) '" + file +
                              "/cache': '" + file +
                              "' is a file, not a folder (move it away or choose another "
                              "folder)\n");
  EXPECT_FALSE(fs::exists(out_.file("results")));
}

TEST_F(Preflight, AFinishedSweepsReadOnlyFolderIsReportedDone) {
  ASSERT_EQ(sweep("model=linear_ae model.latent_dim=2").exit_code, 0);
  // A read-only view of it (a bind mount: root writes through file permissions).
  const std::string view = out_.file("view");
  fs::create_directory(view);
  if (testing::run_command("mount --bind " + out_.file("results") + " " + view +
                           " && mount -o remount,bind,ro " + view)
          .exit_code != 0) {
    testing::run_command("umount " + view);
    GTEST_SKIP() << "no read-only bind mount here";
  }
  // prior=vamp changes no job of a linear autoencoder: the same run, and the plan's warning.
  auto done = sweep("model=linear_ae model.latent_dim=2 prior=vamp", view);
  auto more = sweep("model=linear_ae model.latent_dim=2,3", view);
  testing::run_command("umount " + view);
  EXPECT_EQ(done.exit_code, 0) << done.error;
  EXPECT_NE(done.output.find("1 job(s): every run is done (1 skipped); summary: " + view +
                             "/summary.h5 (read-only: summary.h5 left as it is)"),
            std::string::npos)
      << done.output;
  EXPECT_NE(done.error.find("warning: override 'prior=vamp' changes no job"), std::string::npos)
      << done.error;
  EXPECT_EQ(more.exit_code, 2);
  EXPECT_NE(more.error.find("cannot write in '" + view + "': Read-only file system"),
            std::string::npos)
      << more.error;
}

}  // namespace
}  // namespace aelab
