// The trainer's optimizers, parameter groups, schedules, clipping and phases that freeze parts
// of a model.
#include "framework/train/optimizer.h"

#include <gtest/gtest.h>

#include "framework/core/yaml_io.h"
#include "framework/train/lr_schedule.h"
#include "framework/train/trainer.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

/// A two-part module: `body` (with batch norm) then `head`, returning logits by name.
struct TwoPartImpl : ModelImpl {
  TwoPartImpl() {
    body = register_module("body", torch::nn::Linear(4, 8));
    norm = register_module("norm", torch::nn::BatchNorm1d(8));
    head = register_module("head", torch::nn::Linear(8, 3));
  }
  ModelOutputs forward(const torch::Tensor& input) override {
    ModelOutputs outputs;
    outputs.set("logits", head(torch::relu(norm(body(input.flatten(1))))));
    return outputs;
  }
  torch::nn::Linear body{nullptr}, head{nullptr};
  torch::nn::BatchNorm1d norm{nullptr};
};

LabelledSet labelled(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  torch::Tensor x = torch::randn({n, 4});
  torch::Tensor y = (x.select(1, 0) > 0).to(torch::kLong) + (x.select(1, 1) > 1).to(torch::kLong);
  return {x, y};
}

TrainerOptions options_from(const std::string& yaml) {
  return decode_options<TrainerOptions>(parse_yaml(yaml, "trainer.yaml"), "trainer");
}

TEST(Optimizer, BuildsEachKindWithItsGroups) {
  TwoPartImpl model;
  for (const char* kind : {"adam", "adamw", "sgd"}) {
    TrainerOptions options = options_from(std::string("optimizer: ") + kind +
                                          "\nlr: 0.1\nparam_groups: [{params: head, lr: 0.01}]\n");
    OptimizerSetup setup = make_optimizer(model, options);
    ASSERT_EQ(setup.optimizer->param_groups().size(), 2u) << kind;
    EXPECT_EQ(setup.optimizer->param_groups()[0].params().size(), 2u);  // head weight, bias
    EXPECT_EQ(setup.base_lrs, (std::vector<double>{0.01, 0.1}));
    set_learning_rates(setup, 1, 0.5, options);
    EXPECT_DOUBLE_EQ(setup.optimizer->param_groups()[0].options().get_lr(), 0.005);
    EXPECT_DOUBLE_EQ(setup.optimizer->param_groups()[1].options().get_lr(), 0.05);
  }
}

TEST(Optimizer, PrefixesThatNameNothingAreErrors) {
  TwoPartImpl model;
  EXPECT_EQ(testing::message_of<ConfigError>([&] {
              make_optimizer(model, options_from("param_groups: [{params: encoder}]\n"));
            }),
            "trainer.param_groups[0].params: 'encoder' names no parameter of the model (its "
            "modules: body, norm, head)");
  EXPECT_THROW(apply_freezing(model, {"bod"}), ConfigError);  // a prefix is whole path parts
  EXPECT_TRUE(under_prefix("body.weight", "body"));
  EXPECT_FALSE(under_prefix("body2.weight", "body"));
}

TEST(Optimizer, NestedOptionsNameTheirFullKey) {
  EXPECT_EQ(testing::message_of<ConfigError>(
                [&] { options_from("phases: [{from_epoch: 1}, {from_epoch: 0}]\n"); }),
            "trainer.yaml:1:40: trainer.phases[1].from_epoch: expected a value >= 1, got '0' (for "
            "example 1, the default)");
  {
    const std::string message = testing::message_of<ConfigError>(
        [&] { options_from("param_groups: [{params: head, lr_scale: 2}]\n"); });
    EXPECT_NE(message.find("trainer.param_groups[0].lr_scale"), std::string::npos) << message;
  }
}

TEST(Optimizer, SchedulesFollowTheEpoch) {
  TrainerOptions options = options_from("epochs: 4\nlr_schedule: cosine\n");
  EXPECT_DOUBLE_EQ(scheduled_lr(1.0, 1, options), 1.0);
  EXPECT_DOUBLE_EQ(scheduled_lr(1.0, 3, options), 0.5);
  options = options_from("lr_schedule: step\nstep_size: 2\ngamma: 0.1\nwarmup_epochs: 1\n");
  EXPECT_DOUBLE_EQ(scheduled_lr(1.0, 1, options), 0.5);  // warm-up: 1/2 of the rate
  EXPECT_DOUBLE_EQ(scheduled_lr(1.0, 2, options), 1.0);
  EXPECT_NEAR(scheduled_lr(1.0, 3, options), 0.1, 1e-15);
  EXPECT_NEAR(scheduled_lr(1.0, 5, options), 0.01, 1e-15);
}

TEST(Optimizer, PhasesFreezeThenFineTune) {
  auto model = std::make_shared<TwoPartImpl>();
  LabelledSet data = labelled(96, 3);
  TrainerOptions options = options_from(
      "epochs: 4\nbatch_size: 16\noptimizer: sgd\nlr: 0.1\nclip_grad_norm: 1.0\n"
      "phases: [{from_epoch: 1, freeze: [body, norm]}, {from_epoch: 3, lr_scale: 0.5}]\n");
  torch::Tensor body_start = model->body->weight.detach().clone();
  torch::Tensor head_start = model->head->weight.detach().clone();
  torch::Tensor mean_start = model->norm->running_mean.clone();

  /// Records after each epoch whether the body and the batch-norm statistics moved.
  struct Watch : TrainerCallback {
    std::shared_ptr<TwoPartImpl> model;
    torch::Tensor body_start, mean_start;
    std::vector<bool> body_moved, stats_moved;
    void on_epoch_end(const EpochSummary&) override {
      body_moved.push_back(!torch::equal(model->body->weight, body_start));
      stats_moved.push_back(!torch::equal(model->norm->running_mean, mean_start));
    }
  };
  auto watch = std::make_shared<Watch>();
  watch->model = model;
  watch->body_start = body_start;
  watch->mean_start = mean_start;
  auto objective = make_objective("cross_entropy");
  Trainer(options, {watch}).fit(*model, *objective, data, data);
  EXPECT_EQ(watch->body_moved, (std::vector<bool>{false, false, true, true}));
  EXPECT_EQ(watch->stats_moved, (std::vector<bool>{false, false, true, true}));
  EXPECT_FALSE(torch::equal(model->head->weight, head_start));
}

TEST(Optimizer, CallbacksSeeTheWholeRun) {
  auto model = std::make_shared<TwoPartImpl>();
  LabelledSet data = labelled(32, 4);
  struct Log : TrainerCallback {
    std::vector<std::string> events;
    void on_run_start(TrainingState& state) override {
      events.push_back("start " + std::to_string(state.epochs));
    }
    void on_epoch_start(int64_t epoch, int64_t) override {
      events.push_back("epoch " + std::to_string(epoch));
    }
    void on_batch_end(int64_t, int64_t batch, const torch::Tensor&) override {
      events.push_back("batch " + std::to_string(batch));
    }
    void on_epoch_end(const EpochSummary& summary) override {
      events.push_back("end " + std::to_string(summary.epoch));
    }
    void on_run_end(const TrainOutcome& outcome) override {
      events.push_back("done " + std::to_string(outcome.epochs_run));
    }
  };
  auto log = std::make_shared<Log>();
  auto objective = make_objective("cross_entropy");
  Trainer(options_from("epochs: 2\nbatch_size: 16\n"), {log}).fit(*model, *objective, data, data);
  EXPECT_EQ(log->events,
            (std::vector<std::string>{"start 2", "epoch 1", "batch 0", "batch 1", "end 1",
                                      "epoch 2", "batch 0", "batch 1", "end 2", "done 2"}));
}

TEST(Objectives, MatchTheirDefinitions) {
  torch::manual_seed(0);
  ModelOutputs outputs;
  torch::Tensor logits = torch::randn({5, 3});
  outputs.set("logits", logits);
  torch::Tensor labels = torch::tensor({0, 2, 1, 1, 0}, torch::kLong);
  TwoPartImpl model;
  Batch batch{torch::zeros({5, 4}), labels};
  EXPECT_TRUE(torch::allclose(make_objective("cross_entropy")->loss(model, outputs, batch),
                              torch::nll_loss(torch::log_softmax(logits, 1), labels)));

  torch::Tensor maps = torch::tensor({{{0, 1}, {-1, 2}}}, torch::kLong);  // [1, 2, 2]
  torch::Tensor pixel_logits = torch::randn({1, 3, 2, 2});
  ModelOutputs pixels;
  pixels.set("logits", pixel_logits);
  torch::Tensor expected =
      torch::nll_loss2d(torch::log_softmax(pixel_logits, 1), maps, {}, at::Reduction::Mean, -1);
  EXPECT_TRUE(torch::allclose(
      make_objective("pixel_cross_entropy")->loss(model, pixels, Batch{torch::zeros({1}), maps}),
      expected));

  ModelOutputs reconstruction;
  torch::Tensor x = torch::rand({2, 1, 2, 2});
  reconstruction.set("reconstruction", torch::full({2, 1, 2, 2}, 0.5));
  EXPECT_TRUE(
      torch::allclose(make_objective("reconstruction")->loss(model, reconstruction, Batch{x, {}}),
                      (x - 0.5).pow(2).mean()));
  EXPECT_EQ(testing::message_of<Error>([&] {
              make_objective("reconstruction")->loss(model, outputs, Batch{x, {}});
            }),
            "the model gives no 'reconstruction' output (it gives: logits); choose an objective "
            "or experiment that fits the model");
}

}  // namespace
}  // namespace aelab
