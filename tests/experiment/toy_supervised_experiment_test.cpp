// A supervised experiment that exists only in this file: its own config section (`toy:`), a
// classifier model, a cross-entropy objective on labelled batches, a phase with the encoder
// frozen and then a fine-tuning phase. It runs through run_sweep (this program acts as run_sweep
// and as its workers), which knows nothing about it beyond the registrations below.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "framework/core/settings_section.h"
#include "framework/experiment/model_store.h"
#include "framework/experiment/run_inputs.h"
#include "framework/experiment/training.h"
#include "framework/models/autoencoder.h"
#include "framework/results/run_record.h"
#include "tests/test_support.h"
#include "tools/run_sweep_command.h"

namespace aelab {
namespace {

/// The experiment's own section.
struct ToyOptions {
  int64_t frozen_epochs = 2;
  double fine_tune_lr_scale = 0.5;
  bool fail_after_training = false;
  template <class V>
  void visit(V& v) {
    v("frozen_epochs", frozen_epochs, "epochs that train the head alone", AtLeast{1});
    v("fine_tune_lr_scale", fine_tune_lr_scale, "learning-rate factor when fine-tuning",
      AtLeast{0});
    v("fail_after_training", fail_after_training,
      "end the run with a LibTorch shape error once trained (a runtime failure to test)");
  }
};
[[maybe_unused]] bool toy_section = declare_settings_section<ToyOptions>("toy", "the toy");

/// Options of the toy classifier.
struct ToyClassifierOptions {
  int64_t latent_dim = 8;
  int64_t classes = 2;
  template <class V>
  void visit(V& v) {
    v("latent_dim", latent_dim, "features from the encoder", AtLeast{1});
    v("classes", classes, "number of classes", AtLeast{2});
  }
};

/// The `encoder:` section's encoder, then a linear head to class logits.
class ToyClassifier : public ModelImpl {
 public:
  ToyClassifier(ToyClassifierOptions options, const BuildContext& context) {
    encoder_ = register_module(
        "encoder",
        make_encoder(context.section("encoder"), with_latent_dim(context, options.latent_dim)));
    head_ = register_module("head", torch::nn::Linear(options.latent_dim, options.classes));
  }
  ModelOutputs forward(const torch::Tensor& input) override {
    ModelOutputs outputs;
    outputs.set("code", encoder_->forward(input));
    outputs.set("logits", head_(outputs.at("code")));
    return outputs;
  }
  torch::nn::Module& encoder() { return *encoder_; }

 private:
  std::shared_ptr<EncoderImpl> encoder_;
  torch::nn::Linear head_{nullptr};
};
AELAB_REGISTER_PLUGIN(model_registry(), "toy_classifier", ToyClassifier, ToyClassifierOptions);
[[maybe_unused]] bool toy_model = declare_model("toy_classifier", {{"encoder"}, {}, nullptr});

/// Fraction of `data` the model labels right.
double accuracy(ModelImpl& model, const LabelledSet& data) {
  torch::NoGradGuard no_grad;
  model.eval();
  torch::Tensor predicted = model.forward(data.x).at("logits").argmax(1);
  return predicted.eq(data.y).to(torch::kFloat64).mean().item<double>();
}

/// After each epoch, how far the encoder's weights moved from where they started.
class EncoderDrift : public TrainerCallback {
 public:
  explicit EncoderDrift(ToyClassifier& model) : model_(model) {
    for (const auto& p : model_.encoder().parameters()) start_.push_back(p.detach().clone());
  }
  void on_epoch_end(const EpochSummary&) override {
    double drift = 0;
    auto now = model_.encoder().parameters();
    for (size_t i = 0; i < now.size(); ++i)
      drift += (now[i].detach() - start_[i]).abs().sum().item<double>();
    drift_.push_back(drift);
  }
  const std::vector<double>& drift() const { return drift_; }

 private:
  ToyClassifier& model_;
  std::vector<torch::Tensor> start_;
  std::vector<double> drift_;
};

/// Trains the classifier head on a frozen encoder, then everything; records accuracy.
class ToySupervised : public Experiment {
 public:
  ToySupervised(NoOptions, const RunContext&) {}
  void run(const ConfigNode& config, const RunContext& context, RunRecord& record) override {
    DataSplits data = load_data(config);
    auto model = build_model(config, data.sample_shape(), nullptr);
    auto& classifier = dynamic_cast<ToyClassifier&>(*model);
    auto options = decode_options<TrainerOptions>(*config.get("trainer"), "trainer");
    auto toy = decode_options<ToyOptions>(*config.get("toy"), "toy");
    options.phases = {PhaseOptions{1, {"encoder"}, 1.0},
                      PhaseOptions{toy.frozen_epochs + 1, {}, toy.fine_tune_lr_scale}};
    auto objective = make_objective("cross_entropy");
    auto drift = std::make_shared<EncoderDrift>(classifier);
    TrainingJob job{*model,
                    *objective,
                    options,
                    data.split("train"),
                    data.split("val"),
                    nullptr,
                    [&](const LabelledSet& val) {
                      return std::map<std::string, double>{{"accuracy", accuracy(*model, val)}};
                    },
                    {drift}};
    if (!train_model(job, context, record)) return;
    if (toy.fail_after_training) torch::zeros({2, 3}).matmul(torch::zeros({2, 3}));
    record.metrics["test"]["accuracy"] = accuracy(*model, data.split("test"));
    record.arrays["encoder_drift"] = to_float_array(torch::tensor(drift->drift()));
    record_model(record, *model, data.sample_shape());
    record.status = "completed";
  }
};
AELAB_REGISTER_PLUGIN(experiment_registry(), "toy_supervised", ToySupervised, NoOptions);
[[maybe_unused]] bool toy_declared =
    declare_experiment("toy_supervised", {{{"trainer"}, {"toy"}}, false, {"test/accuracy"}});

/// Blobs on the left (label 0) or right (label 1) half of 8x8 images.
void write_left_right_dataset(const std::string& folder) {
  auto write = [&](const std::string& prefix, int64_t count, bool gzip) {
    std::vector<uint8_t> pixels, labels;
    for (int64_t n = 0; n < count; ++n) {
      int64_t label = n % 2, cx = label * 4 + (n / 2) % 4, cy = (n / 3) % 8;
      labels.push_back(static_cast<uint8_t>(label));
      for (int64_t y = 0; y < 8; ++y)
        for (int64_t x = 0; x < 8; ++x)
          pixels.push_back((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 2 ? 255 : 0);
    }
    std::string suffix = gzip ? ".gz" : "";
    testing::write_idx(folder + "/" + prefix + "-images-idx3-ubyte" + suffix, {count, 8, 8}, pixels,
                       gzip);
    testing::write_idx(folder + "/" + prefix + "-labels-idx1-ubyte" + suffix, {count}, labels,
                       gzip);
  };
  write("train", 400, true);
  write("t10k", 100, false);
}

class ToySupervisedExperiment : public ::testing::Test {
 protected:
  void SetUp() override {
    write_left_right_dataset(dir_.file("data"));
    dir_.write("configs/toy.yaml",
               "name: toy\nseed: 0\ndevice: cpu\nexperiment: {name: toy_supervised}\n"
               "data: {name: idx, root: " +
                   dir_.file("data") +
                   "}\nmodel: {name: toy_classifier, latent_dim: 8}\n"
                   "encoder: {name: mlp, hidden: [32]}\n"
                   "trainer: {epochs: 5, batch_size: 32, lr: 0.01}\ntoy: {frozen_epochs: 2}\n");
  }
  testing::CommandResult sweep(const std::string& arguments) {
    return testing::run_command(self() + " --run-sweep --config-dir " + dir_.file("configs") +
                                " -c toy --out " + dir_.file("results") + " --quiet " + arguments);
  }
  static std::string self() { return std::filesystem::read_symlink("/proc/self/exe").string(); }
  testing::ScratchDir dir_;
};

TEST_F(ToySupervisedExperiment, TrainsAHeadOnAFrozenEncoderThenFineTunes) {
  auto result = sweep("");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("[#0] completed  test/accuracy "), std::string::npos)
      << result.output;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.file("results/runs")))
    files.push_back(entry.path().string());
  ASSERT_EQ(files.size(), 1u);
  RunRecord run = read_run_file(files[0]);
  EXPECT_EQ(run.status, "completed") << run.error;
  const auto& drift = run.arrays.at("encoder_drift").values;
  ASSERT_EQ(drift.size(), 5u);
  EXPECT_EQ(drift[0], 0.0);  // frozen: not one weight of the encoder moved
  EXPECT_EQ(drift[1], 0.0);
  EXPECT_GT(drift[2], 0.0);  // fine-tuning moves it
  EXPECT_GT(run.metrics.at("test").at("accuracy"), 0.9);
  EXPECT_EQ(run.history.at("val").at("accuracy").size(), 5u);
  EXPECT_NE(run.config_yaml.find("toy:\n  frozen_epochs: 2\n  fine_tune_lr_scale: 0.5"),
            std::string::npos)
      << run.config_yaml;
  EXPECT_EQ(run.config_yaml.find("objective:"), std::string::npos);  // not a section it reads
  EXPECT_FALSE(run.model_state.empty());
}

TEST_F(ToySupervisedExperiment, ARuntimeFailureIsOneLineItsTraceGoesToTheLogAndTheSweepGoesOn) {
  auto result = sweep("+toy.fail_after_training=true seed=0,1 trainer.epochs=3");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("0 completed, 0 diverged, 2 failed"), std::string::npos)
      << result.output;
  EXPECT_EQ(result.error, "");  // failures are job lines, not errors of the command
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.file("results/runs")))
    files.push_back(entry.path().string());
  ASSERT_EQ(files.size(), 2u);
  for (const auto& file : files) {
    RunRecord run = read_run_summary(file);
    EXPECT_EQ(run.status, "failed");
    const std::string log = dir_.file("results/logs/" + run.run_id + ".log");
    EXPECT_EQ(run.error,
              "LibTorch: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3) "
              "(full trace: " +
                  log + ")");
    EXPECT_NE(result.output.find("failed: " + run.error), std::string::npos) << result.output;
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(text.find("mat1 and mat2 shapes cannot be multiplied"), std::string::npos) << text;
    EXPECT_NE(text.find("+toy.fail_after_training=true"), std::string::npos) << text;
  }
}

TEST_F(ToySupervisedExperiment, ItsSectionIsValidatedAndListed) {
  auto bad = sweep("toy.frozen_epochs=0");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_EQ(bad.error,
            "error: override 'toy.frozen_epochs=0': toy.frozen_epochs: expected a value >= 1, "
            "got '0' (for example 2, the default)\n");
  auto listing = testing::run_command(self() + " --run-sweep --list");
  EXPECT_NE(listing.output.find("toy_supervised"), std::string::npos);
  EXPECT_NE(listing.output.find("toy:\n  (the toy: a section of options)"), std::string::npos)
      << listing.output;
}

}  // namespace
}  // namespace aelab

int main(int argc, char** argv) {
  // Acting as run_sweep (`--run-sweep ARGS`) and as its workers (`--run-job ...`).
  if (argc > 1 && std::strcmp(argv[1], "--run-sweep") == 0) {
    argv[1] = argv[0];
    return aelab::run_sweep_main(argc - 1, argv + 1);
  }
  if (argc > 1 && std::strcmp(argv[1], "--run-job") == 0) return aelab::run_sweep_main(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
