// The stacked training loop: Trainer::fit's loop, for K variants at once.
#include "framework/stacking/stacked_trainer.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "framework/core/error.h"
#include "framework/core/stop_request.h"
#include "framework/stacking/stacked_adam.h"
#include "framework/stacking/stacked_autoencoder.h"
#include "framework/train/fused_adam.h"
#include "framework/train/optimizer.h"

namespace aelab {
namespace {

/// The settings of an Adam or AdamW optimizer's first group.
VariantAdamSettings adam_settings(torch::optim::Optimizer& optimizer) {
  auto& options = optimizer.param_groups().front().options();
  VariantAdamSettings settings;
  if (auto* adamw = dynamic_cast<torch::optim::AdamWOptions*>(&options)) {
    settings = {adamw->lr(), adamw->weight_decay(), std::get<0>(adamw->betas()),
                std::get<1>(adamw->betas()), adamw->eps()};
  } else {
    auto& adam = static_cast<torch::optim::AdamOptions&>(options);
    settings = {adam.lr(), adam.weight_decay(), std::get<0>(adam.betas()),
                std::get<1>(adam.betas()), adam.eps()};
  }
  return settings;
}

void check_variants_agree(const std::vector<StackedVariant>& variants) {
  const StackedVariant& first = variants.front();
  for (const auto& v : variants) {
    if (v.options.epochs != first.options.epochs ||
        v.options.batch_size != first.options.batch_size ||
        v.options.optimizer != first.options.optimizer || v.train.size() != first.train.size())
      throw Error("stacked training: variants differ in epochs, batch size, optimizer or data");
    if (v.options.optimizer != "adam" && v.options.optimizer != "adamw")
      throw Error("stacked training: only adam and adamw are stacked");
    if (!v.options.param_groups.empty() || !v.options.phases.empty() ||
        v.options.lr_schedule != "constant" || v.options.warmup_epochs > 0 ||
        v.options.clip_grad_norm || v.options.init_from)
      throw Error(
          "stacked training: param_groups, phases, schedules, clipping and init_from "
          "are not stacked");
  }
}

}  // namespace

AutoencoderImpl* stackable_autoencoder(ModelImpl& model, std::string* why) {
  auto* autoencoder = dynamic_cast<AutoencoderImpl*>(&model);
  const char* reason = nullptr;
  if (!autoencoder)
    reason = "only model.name=ae stacks";
  else if (autoencoder->has_skips() || autoencoder->encoder().dense_chain().empty() ||
           autoencoder->decoder().dense_chain().empty())
    reason = "only mlp and linear encoders and decoders stack";
  if (reason && why) *why = reason;
  return reason ? nullptr : autoencoder;
}

std::vector<TrainOutcome> fit_stacked(std::vector<StackedVariant>& variants) {
  check_variants_agree(variants);
  const size_t count = variants.size();
  std::vector<AutoencoderImpl*> models;
  for (auto& v : variants) models.push_back(v.model);
  StackedAutoencoder stacked(models);
  // Each variant's own LibTorch optimizer: its settings, and the state its checkpoints save.
  std::vector<OptimizerSetup> optimizers;
  std::vector<VariantAdamSettings> settings;
  for (auto& v : variants) {
    optimizers.push_back(make_optimizer(*v.model, v.options));
    settings.push_back(adam_settings(*optimizers.back().optimizer));
  }
  StackedAdam adam(stacked.parameters(), settings, variants.front().options.optimizer == "adamw");

  at::Generator generator = at::globalContext().defaultGenerator(variants.front().train.x.device());
  auto with_generator_of = [&](size_t k, const std::function<void()>& draw) {
    generator.set_state(variants[k].rng_state);
    draw();
    variants[k].rng_state = generator.get_state();
  };
  auto notify = [&](size_t k, const std::function<void(TrainerCallback&)>& event) {
    for (auto& callback : variants[k].callbacks) event(*callback);
  };

  const int64_t epochs = variants.front().options.epochs;
  const int64_t batch_size = variants.front().options.batch_size;
  const int64_t n = variants.front().train.size();
  std::vector<TrainingState> states(count);
  std::vector<TrainOutcome> outcomes(count);
  std::vector<bool> active(count, true);
  try {
    for (size_t k = 0; k < count; ++k) {
      states[k] = {variants[k].model, optimizers[k].optimizer.get(), epochs, 0};
      with_generator_of(k,
                        [&] { notify(k, [&](TrainerCallback& c) { c.on_run_start(states[k]); }); });
      if (states[k].completed_epochs != 0)
        throw Error("stacked training: a variant resumes from a checkpoint; it runs alone");
    }
    for (int64_t epoch = 1; epoch <= epochs; ++epoch) {
      auto start = std::chrono::steady_clock::now();
      std::vector<torch::Tensor> orders(count), loss_sums(count), losses(count);
      for (size_t k = 0; k < count; ++k) {
        const auto& x = variants[k].train.x;
        if (!active[k]) {  // a diverged variant rides along, unused, in the data's order
          orders[k] =
              torch::arange(n, torch::TensorOptions().dtype(torch::kLong).device(x.device()));
          continue;
        }
        notify(k, [&](TrainerCallback& c) { c.on_epoch_start(epoch, epochs); });
        variants[k].model->start_epoch(epoch, epochs);
        with_generator_of(k, [&] {
          orders[k] =
              torch::randperm(n, torch::TensorOptions().dtype(torch::kLong).device(x.device()));
        });
        loss_sums[k] = torch::zeros({}, x.options().dtype(torch::kFloat64));
      }
      int64_t batch_index = 0;
      for (int64_t begin = 0; begin < n; begin += batch_size, ++batch_index) {
        const int64_t end = std::min(begin + batch_size, n);
        std::vector<Batch> batches(count);
        std::vector<torch::Tensor> inputs(count);
        for (size_t k = 0; k < count; ++k) {
          batches[k] = variants[k].train.take(orders[k].slice(0, begin, end));
          inputs[k] = batches[k].x;
          if (active[k] && variants[k].corrupt)
            with_generator_of(k, [&] { inputs[k] = variants[k].corrupt(batches[k].x); });
          inputs[k] = inputs[k].flatten(1);
        }
        adam.zero_grad();
        torch::Tensor reconstructions = stacked.forward(torch::stack(inputs));
        torch::Tensor total;
        for (size_t k = 0; k < count; ++k) {
          if (!active[k]) continue;
          ModelOutputs outputs;
          outputs.set("reconstruction",
                      reconstructions[static_cast<int64_t>(k)].view(batches[k].x.sizes()));
          losses[k] = variants[k].objective->loss(*variants[k].model, outputs, batches[k]);
          total = total.defined() ? total + losses[k] : losses[k];
          loss_sums[k] += losses[k].detach().to(torch::kFloat64) * static_cast<double>(end - begin);
        }
        total.backward();
        adam.step();
        for (size_t k = 0; k < count; ++k)
          if (active[k])
            notify(k, [&](TrainerCallback& c) { c.on_batch_end(epoch, batch_index, losses[k]); });
        throw_if_stop_requested("in epoch " + std::to_string(epoch));
      }
      const size_t training = static_cast<size_t>(std::count(active.begin(), active.end(), true));
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
          static_cast<double>(training);
      for (size_t k = 0; k < count; ++k) {
        if (!active[k]) continue;
        StackedVariant& v = variants[k];
        stacked.copy_to_variant(static_cast<int64_t>(k));
        const auto own = stacked.variant_parameters(static_cast<int64_t>(k));
        const auto means = stacked.variant_slices(adam.exp_avg(), static_cast<int64_t>(k));
        const auto squares = stacked.variant_slices(adam.exp_avg_sq(), static_cast<int64_t>(k));
        for (size_t i = 0; i < own.size(); ++i)
          set_adam_state(*optimizers[k].optimizer, own[i], adam.steps(), means[i], squares[i]);
        const double train_loss = loss_sums[k].item<double>() / static_cast<double>(n);
        EpochSummary summary{epoch, epochs, {}, seconds};
        summary.metrics["train"]["loss"] = train_loss;
        if (!std::isfinite(train_loss)) {
          outcomes[k].diverged = true;
          outcomes[k].message =
              fmt::format("training loss became {} in epoch {} (try a lower trainer.lr)",
                          std::isnan(train_loss) ? "NaN" : "infinite", epoch);
          active[k] = false;
        } else if (v.validate && v.val.size() > 0) {
          v.model->eval();
          summary.metrics["val"] = v.validate(v.val);
        }
        // A checkpoint written now saves the variant's own generator state.
        with_generator_of(k,
                          [&] { notify(k, [&](TrainerCallback& c) { c.on_epoch_end(summary); }); });
        outcomes[k].epochs_run = epoch;
      }
      if (std::none_of(active.begin(), active.end(), [](bool a) { return a; })) break;
    }
  } catch (const std::exception& error) {
    for (size_t k = 0; k < count; ++k)
      with_generator_of(k, [&] { notify(k, [&](TrainerCallback& c) { c.on_error(error); }); });
    throw;
  }
  for (size_t k = 0; k < count; ++k) {
    variants[k].model->eval();
    notify(k, [&](TrainerCallback& c) { c.on_run_end(outcomes[k]); });
  }
  return outcomes;
}

}  // namespace aelab
