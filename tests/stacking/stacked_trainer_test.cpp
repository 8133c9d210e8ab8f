// Stacked training: K autoencoders trained as one batched model end where each would have alone
// (seeds, learning rates, weight decays, code sizes and input noise differing), a diverging
// variant leaves the others untouched, and a variant's optimizer state is LibTorch's own.
#include "framework/stacking/stacked_trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "framework/core/yaml_io.h"
#include "framework/metrics/reconstruction_metrics.h"
#include "framework/train/fused_adam.h"
#include "framework/train/optimizer.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

/// Smooth 1x6x6 images driven by 4 latent factors.
torch::Tensor images(int64_t n) {
  torch::manual_seed(3);
  torch::Tensor x = torch::matmul(torch::rand({n, 4}), torch::rand({4, 36}) / 4);
  return x.clamp(0, 1).view({n, 1, 6, 6});
}

/// What differs between the variants.
struct Setting {
  std::string family;
  int64_t latent_dim;
  uint64_t seed;
  double lr, weight_decay, noise;
};

std::shared_ptr<ModelImpl> make_model(const Setting& s) {
  std::string part = s.family == "mlp" ? "{name: mlp, hidden: [16]}" : "{name: linear}";
  BuildContext context;
  context.input_shape = {1, 6, 6};
  context.config = parse_yaml("encoder: " + part + "\ndecoder: " + part + "\n", "test");
  ConfigNode section = parse_yaml("name: ae\nlatent_dim: " + std::to_string(s.latent_dim), "test");
  torch::manual_seed(s.seed);
  return model_registry().at("ae").make(section, context);
}

TrainerOptions options_of(const Setting& s, const std::string& optimizer) {
  TrainerOptions options;
  options.epochs = 3;
  options.batch_size = 32;
  options.optimizer = optimizer;
  options.lr = s.lr;
  options.weight_decay = s.weight_decay;
  return options;
}

/// Gaussian input noise of `level` from the global generator; NaN inputs for a negative level.
Trainer::Corruption corruption(double level) {
  if (level == 0) return nullptr;
  return [level](const torch::Tensor& x) {
    if (level < 0) return x * std::numeric_limits<float>::quiet_NaN();
    return x + level * torch::randn_like(x);
  };
}

/// How the objective is made: the reconstruction objective (mse) unless a test says otherwise.
using ObjectiveMaker = std::function<std::shared_ptr<Objective>()>;
std::shared_ptr<Objective> mse() { return make_objective("reconstruction"); }

/// The reconstruction objective's loss() alone: an objective with no stacked form.
class LossOnly : public Objective {
 public:
  torch::Tensor loss(ModelImpl& model, const ModelOutputs& outputs, const Batch& batch) override {
    return inner_->loss(model, outputs, batch);
  }

 private:
  std::shared_ptr<Objective> inner_ = make_objective("reconstruction");
};

struct Trained {
  std::shared_ptr<ModelImpl> model;
  History history;
  TrainOutcome outcome;
};

Trained train_alone(const Setting& s, const std::string& optimizer, const torch::Tensor& x,
                    const torch::Tensor& val, const ObjectiveMaker& make = mse) {
  Trained out{make_model(s), {}, {}};
  auto history = std::make_shared<HistoryRecorder>();
  auto objective = make();
  ModelImpl& model = *out.model;
  out.outcome =
      Trainer(options_of(s, optimizer), {history})
          .fit(model, *objective, {x, {}}, {val, {}}, corruption(s.noise),
               [&](const LabelledSet& v) { return reconstruction_metrics(model, v.x, 64); });
  out.history = history->history();
  return out;
}

/// The variants trained as one stack, with labels beside the images; with `own_data`, each on
/// its own copy of them (no shared gather).
std::vector<Trained> train_stacked(const std::vector<Setting>& settings,
                                   const std::string& optimizer, const torch::Tensor& x,
                                   const torch::Tensor& val, const ObjectiveMaker& make = mse,
                                   bool own_data = false) {
  std::vector<Trained> out;
  std::vector<StackedVariant> variants;
  std::vector<std::shared_ptr<HistoryRecorder>> histories;
  auto objective = make();
  const torch::Tensor labels = torch::arange(x.size(0));  // gathered beside the images, unused
  for (const Setting& s : settings) {
    out.push_back({make_model(s), {}, {}});
    ModelImpl* model = out.back().model.get();
    StackedVariant v;
    v.model = stackable_autoencoder(*model);
    v.objective = objective.get();
    v.options = options_of(s, optimizer);
    v.train = {own_data ? x.clone() : x, own_data ? labels.clone() : labels};
    v.val = {val, {}};
    v.corrupt = corruption(s.noise);
    v.validate = [model](const LabelledSet& set) {
      return reconstruction_metrics(*model, set.x, 64);
    };
    histories.push_back(std::make_shared<HistoryRecorder>());
    v.callbacks = {histories.back()};
    v.rng_state = at::detail::getDefaultCPUGenerator().get_state();
    variants.push_back(std::move(v));
  }
  fit_stacked(variants);
  for (size_t k = 0; k < out.size(); ++k) {
    out[k].history = histories[k]->history();
    out[k].outcome = variants[k].outcome;
  }
  return out;
}

void expect_same_training(const Trained& alone, const Trained& stacked, const std::string& what) {
  EXPECT_EQ(alone.outcome.diverged, stacked.outcome.diverged) << what;
  EXPECT_EQ(alone.outcome.epochs_run, stacked.outcome.epochs_run) << what;
  for (const auto& [split, metrics] : alone.history)
    for (const auto& [name, values] : metrics) {
      if (name == "seconds") continue;
      const auto& other = stacked.history.at(split).at(name);
      ASSERT_EQ(values.size(), other.size()) << what << " " << split << "/" << name;
      for (size_t e = 0; e < values.size(); ++e) {
        if (std::isnan(values[e])) {
          EXPECT_TRUE(std::isnan(other[e])) << what << " " << split << "/" << name;
          continue;
        }
        EXPECT_NEAR(values[e], other[e], 1e-5 * (1 + std::abs(values[e])))
            << what << " " << split << "/" << name << " epoch " << e + 1;
      }
    }
  if (alone.outcome.diverged) return;
  auto a = alone.model->named_parameters(), b = stacked.model->named_parameters();
  for (const auto& item : a) {
    const torch::Tensor& other = b[item.key()];
    EXPECT_TRUE(torch::allclose(item.value(), other, 1e-4, 1e-6))
        << what << " " << item.key() << " differs by "
        << (item.value() - other).abs().max().item<double>();
  }
}

TEST(StackedTraining, EachVariantEndsAsItsOwnRunWould) {
  torch::Tensor x = images(200), val = images(64);
  const std::vector<Setting> settings = {{"mlp", 2, 1, 1e-3, 0, 0},
                                         {"mlp", 4, 2, 3e-3, 1e-3, 0},
                                         {"mlp", 3, 1, 1e-2, 0, 0.1},
                                         {"mlp", 4, 5, 1e-3, 0, 0.3}};
  for (const std::string optimizer : {"adam", "adamw"}) {
    std::vector<Trained> stacked = train_stacked(settings, optimizer, x, val);
    for (size_t k = 0; k < settings.size(); ++k) {
      const std::string what = optimizer + " variant " + std::to_string(k);
      expect_same_training(train_alone(settings[k], optimizer, x, val), stacked[k], what);
      EXPECT_EQ(stacked[k].history.at("train").at("loss").size(), 3u) << what;
    }
  }
}

TEST(StackedTraining, BatchedLossesAreEachVariantsOwnLoss) {
  torch::Tensor x = images(96);
  for (const std::string loss : {"mse", "bce"}) {
    auto objective = make_objective(parse_yaml("{name: reconstruction, loss: " + loss + "}", "t"));
    StackedReconstructionLoss stacked = objective->stacked_reconstruction_loss();
    ASSERT_TRUE(stacked) << loss;
    torch::manual_seed(1);
    const torch::Tensor reconstructions = torch::rand({3, 32, 36}).clamp(1e-3, 1 - 1e-3);
    const torch::Tensor targets = x.view({3, 32, 36});
    const torch::Tensor losses = stacked(reconstructions, targets);
    ASSERT_EQ(losses.sizes(), torch::IntArrayRef({3})) << loss;
    auto model = make_model({"mlp", 2, 1, 1e-3, 0, 0});
    for (int64_t k = 0; k < 3; ++k) {
      ModelOutputs outputs;
      outputs.set("reconstruction", reconstructions[k].view({32, 1, 6, 6}));
      const double own =
          objective->loss(*model, outputs, {targets[k].view({32, 1, 6, 6}), {}}).item<double>();
      EXPECT_NEAR(losses[k].item<double>(), own, 1e-6 * std::abs(own)) << loss << " variant " << k;
    }
  }
}

TEST(StackedTraining, VariantsOnTheirOwnDataOrWithAnUnstackedObjectiveToo) {
  torch::Tensor x = images(200), val = images(64);
  const std::vector<Setting> settings = {{"mlp", 2, 1, 1e-3, 0, 0}, {"mlp", 3, 4, 3e-3, 0, 0.2}};
  const ObjectiveMaker bce = [] {
    return make_objective(parse_yaml("{name: reconstruction, loss: bce}", "test"));
  };
  const ObjectiveMaker loss_only = [] { return std::make_shared<LossOnly>(); };
  for (const auto& [name, make] : {std::make_pair("bce", bce), {"loss() alone", loss_only}})
    for (bool own_data : {false, true}) {
      std::vector<Trained> stacked = train_stacked(settings, "adam", x, val, make, own_data);
      for (size_t k = 0; k < settings.size(); ++k)
        expect_same_training(
            train_alone(settings[k], "adam", x, val, make), stacked[k],
            std::string(name) + (own_data ? ", own data" : "") + ", variant " + std::to_string(k));
    }
}

TEST(StackedTraining, LinearAutoencodersStackToo) {
  torch::Tensor x = images(200), val = images(64);
  const std::vector<Setting> settings = {{"linear", 2, 1, 1e-2, 0, 0},
                                         {"linear", 5, 9, 3e-3, 0, 0.2}};
  std::vector<Trained> stacked = train_stacked(settings, "adam", x, val);
  for (size_t k = 0; k < settings.size(); ++k)
    expect_same_training(train_alone(settings[k], "adam", x, val), stacked[k],
                         "linear variant " + std::to_string(k));
}

TEST(StackedTraining, ADivergingVariantLeavesTheOthersUntouched) {
  torch::Tensor x = images(200), val = images(64);
  const std::vector<Setting> settings = {{"mlp", 2, 1, 1e-3, 0, 0},
                                         {"mlp", 2, 2, 1e-3, 0, -1},  // NaN inputs: diverges
                                         {"mlp", 3, 3, 1e-3, 0, 0}};
  std::vector<Trained> stacked = train_stacked(settings, "adam", x, val);
  EXPECT_TRUE(stacked[1].outcome.diverged);
  EXPECT_EQ(stacked[1].outcome.epochs_run, 1);
  EXPECT_NE(stacked[1].outcome.message.find("NaN in epoch 1"), std::string::npos)
      << stacked[1].outcome.message;
  for (size_t k = 0; k < settings.size(); ++k)
    expect_same_training(train_alone(settings[k], "adam", x, val), stacked[k],
                         "variant " + std::to_string(k));
}

TEST(StackedTraining, VariantsOfOtherArchitecturesAreRefused) {
  torch::Tensor x = images(64);
  auto mlp = make_model({"mlp", 2, 1, 1e-3, 0, 0});
  auto linear = make_model({"linear", 2, 1, 1e-3, 0, 0});
  std::vector<StackedVariant> variants(2);
  variants[0].model = stackable_autoencoder(*mlp);
  variants[1].model = stackable_autoencoder(*linear);
  auto objective = make_objective("reconstruction");
  for (auto& v : variants) {
    v.objective = objective.get();
    v.train = {x, {}};
    v.rng_state = at::detail::getDefaultCPUGenerator().get_state();
  }
  EXPECT_THROW(fit_stacked(variants), Error);
}

/// The message of the Error fit_stacked throws for `variants`; "no error" when none.
std::string refusal(std::vector<StackedVariant>& variants) {
  return testing::message_of<Error>([&] { fit_stacked(variants); });
}

TEST(StackedTraining, VariantsWhoseObjectivesDifferAreRefused) {
  torch::Tensor x = images(64);
  auto first = make_model({"mlp", 2, 1, 1e-3, 0, 0}),
       second = make_model({"mlp", 3, 2, 1e-3, 0, 0});
  auto mse_objective = make_objective("reconstruction");
  auto bce_objective = make_objective(parse_yaml("{name: reconstruction, loss: bce}", "test"));
  LossOnly loss_only;
  for (Objective* other : std::vector<Objective*>{&loss_only, bce_objective.get()}) {
    std::vector<StackedVariant> variants(2);
    variants[0].model = stackable_autoencoder(*first);
    variants[1].model = stackable_autoencoder(*second);
    variants[0].objective = mse_objective.get();
    variants[1].objective = other;
    for (auto& v : variants) {
      v.options = options_of({"mlp", 2, 1, 1e-3, 0, 0}, "adam");
      v.train = {x, {}};
      v.rng_state = at::detail::getDefaultCPUGenerator().get_state();
    }
    const std::string message = refusal(variants);
    EXPECT_NE(message.find("variant 1's objective"), std::string::npos) << message;
  }
}

TEST(StackedTraining, NoVariantsIsAnError) {
  std::vector<StackedVariant> none;
  EXPECT_EQ(refusal(none), "stacked training: no variants to train");
}

}  // namespace
}  // namespace aelab
