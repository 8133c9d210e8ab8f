// The two phases of classifier training: the frozen phase leaves every weight and batch-norm
// statistic of the encoder bit-identical while the head learns; fine-tuning then moves it.
#include "framework/experiment/classifier_training.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "framework/core/options.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/run_inputs.h"

namespace aelab {
namespace {

std::vector<torch::Tensor> snapshot(torch::nn::Module& module) {
  std::vector<torch::Tensor> out;
  for (const auto& p : module.parameters()) out.push_back(p.detach().clone());
  for (const auto& b : module.buffers()) out.push_back(b.detach().clone());
  return out;
}

bool identical(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!a[i].equal(b[i])) return false;
  return true;
}

TEST(ClassifierTraining, TheFrozenPhaseFreezesTheEncoderAndFineTuningMovesIt) {
  ConfigNode config = parse_yaml(
      "seed: 0\nmodel: {name: ae, latent_dim: 3}\n"
      "encoder: {name: conv, channels: [4], hidden: [8]}\n"
      "decoder: {name: conv, channels: [4], hidden: [8]}\n",
      "test");
  auto autoencoder = build_model(config, {1, 8, 8}, nullptr);
  torch::manual_seed(1);
  FeatureClassifierImpl classifier(autoencoder, 3, {}, 2);
  torch::Tensor x = torch::rand({64, 1, 8, 8});
  torch::Tensor y = (x.mean({1, 2, 3}) > 0.5).to(torch::kLong);
  LabelledSet data{x, y};
  RunContext context;
  context.quiet = true;
  RunRecord record;
  auto encoder_before = snapshot(*autoencoder);
  auto head_before = snapshot(*classifier.named_children()["head"]);
  ClassifierSchedule frozen{
      /*frozen_epochs=*/2, /*finetune_epochs=*/0, 1e-2, 1e-3, 16,
      {"autoencoder"}};
  ClassifierOutcome outcome =
      train_classifier(classifier, frozen, TrainerOptions{}, data, data, data, 2, context, record);
  EXPECT_FALSE(outcome.diverged);
  EXPECT_TRUE(identical(snapshot(*autoencoder), encoder_before));
  EXPECT_FALSE(identical(snapshot(*classifier.named_children()["head"]), head_before));
  EXPECT_EQ(outcome.after_frozen.accuracy, outcome.final.accuracy);
  EXPECT_EQ(record.history.at("train").at("loss").size(), 2u);
  ClassifierSchedule finetune{1, 1, 1e-2, 1e-3, 16, {"autoencoder"}};
  train_classifier(classifier, finetune, TrainerOptions{}, data, data, data, 2, context, record);
  EXPECT_FALSE(identical(snapshot(*autoencoder), encoder_before));
}

TEST(ClassifierTraining, AHeadNoBetterThanAUniformGuessIsWarnedAbout) {
  RunRecord record;
  EXPECT_EQ(untrained_classifier_warning(record, 10), "");  // nothing recorded
  record.history["val"]["cross_entropy"] = {2.9, 2.356};
  EXPECT_EQ(untrained_classifier_warning(record, 10),
            "the classifier's validation cross-entropy ended at 2.356, above ln 10 = 2.303 of a "
            "uniform guess: it has hardly trained, and its accuracy says little (give it more "
            "steps: transfer.frozen_epochs, transfer.min_epoch_samples, transfer.lr)");
  // The last epoch counts, not the first: a head that ends below the guess has trained.
  record.history["val"]["cross_entropy"] = {2.9, 2.2};
  EXPECT_EQ(untrained_classifier_warning(record, 10), "");
  // Two classes: ln 2 = 0.693.
  record.history["val"]["cross_entropy"] = {0.7};
  EXPECT_NE(untrained_classifier_warning(record, 2).find("above ln 2 = 0.693"), std::string::npos);
}

TEST(ClassifierTraining, TakesTheTrainersOptionsButForTheScheduleKeysItNames) {
  // Every trainer option off its default: what the classifier keeps passes through as given,
  // and each key it names is set from the schedule (a transfer from a trained encoder leaves
  // those keys out of its run's config: they must be the ones set here).
  const TrainerOptions given = decode_options<TrainerOptions>(
      parse_yaml("{epochs: 7, batch_size: 9, optimizer: sgd, lr: 0.5, weight_decay: 0.1, "
                 "momentum: 0.5, nesterov: true, param_groups: [{params: encoder, lr: 0.2}], "
                 "lr_schedule: step, step_size: 3, gamma: 0.5, warmup_epochs: 2, "
                 "clip_grad_norm: 1.0, phases: [{from_epoch: 2, lr_scale: 0.5}], "
                 "eval_batch_size: 17, checkpoint_every: 2, keep_checkpoint: true, "
                 "precision: bf16, init_from: abc, init_modules: [encoder]}",
                 "trainer"),
      "trainer");
  ClassifierSchedule schedule;
  schedule.frozen = {"encoder"};
  const ConfigNode before = encode_options(given);
  const ConfigNode after = encode_options(classifier_trainer(given, schedule));
  const std::vector<std::string>& set = classifier_schedule_keys();
  ASSERT_EQ(before.entries().size(), after.entries().size());
  for (const auto& [key, value] : before.entries()) {
    const bool named = std::find(set.begin(), set.end(), key) != set.end();
    // step_size and gamma shape a step schedule, which the classifier's constant one ignores.
    if (key == "step_size" || key == "gamma")
      EXPECT_TRUE(named && after.get("lr_schedule")->text() == "constant") << key;
    else
      EXPECT_EQ(to_yaml(*after.get(key)) != to_yaml(value), named) << key;
  }
}

}  // namespace
}  // namespace aelab
