// Trainer loop.
#include "framework/train/trainer.h"

#include <chrono>
#include <cmath>

#include "framework/core/settings_section.h"
#include "framework/core/stop_request.h"
#include "framework/data/batch_gather.h"
#include "framework/train/autocast.h"
#include "framework/train/dense_step.h"
#include "framework/train/loss_sum.h"
#include "framework/train/optimizer.h"

namespace aelab {

[[maybe_unused]] static bool trainer_section =
    declare_settings_section<TrainerOptions>("trainer", "the trainer");

/// Drops every gradient before a step (LibTorch 1.x's zero_grad() zeroes them in place instead):
/// backward then hands each parameter its fresh gradient rather than adding it to zeros, which
/// saves two passes over the gradients per step; the sums are the same.
static void clear_gradients(torch::optim::Optimizer& optimizer) {
  for (auto& group : optimizer.param_groups())
    for (auto& parameter : group.params()) parameter.mutable_grad() = torch::Tensor();
}

EpochSummary close_epoch(ModelImpl& model, int64_t epoch, int64_t epochs, double train_loss,
                         const Trainer::Validation& validate, const LabelledSet& val,
                         TrainOutcome& outcome) {
  EpochSummary summary{epoch, epochs, {}, 0};
  summary.metrics["train"]["loss"] = train_loss;
  if (!std::isfinite(train_loss)) {
    outcome.diverged = true;
    outcome.message = "training loss became " +
                      std::string(std::isnan(train_loss) ? "NaN" : "infinite") + " in epoch " +
                      std::to_string(epoch) + " (try a lower trainer.lr)";
  } else if (validate && val.size() > 0) {
    model.eval();
    summary.metrics["val"] = validate(val);
  }
  outcome.epochs_run = epoch;
  return summary;
}

void Trainer::notify(const std::function<void(TrainerCallback&)>& event) {
  for (auto& callback : callbacks_) event(*callback);
}

double Trainer::train_epoch(ModelImpl& model, Objective& objective,
                            torch::optim::Optimizer& optimizer, const LabelledSet& train,
                            const Corruption& corrupt, DenseStep* dense_step, int64_t epoch) {
  const int64_t n = train.size();
  torch::Tensor order =
      torch::randperm(n, torch::TensorOptions().dtype(torch::kLong).device(train.x.device()));
  BatchGather gather;
  LossSum loss_sum;
  int64_t batch_index = 0;
  for (int64_t begin = 0; begin < n; begin += options_.batch_size, ++batch_index) {
    int64_t end = std::min(begin + options_.batch_size, n);
    Batch batch = gather.take(train, order.slice(0, begin, end));
    clear_gradients(optimizer);
    const torch::Tensor input = corrupt ? corrupt(batch.x) : batch.x;
    torch::Tensor loss;
    if (dense_step) {
      loss = dense_step->run(input, batch.x);
    } else {
      AutocastScope autocast(options_.precision, input.device());
      loss = objective.loss(model, model.forward(input), batch);
      loss.backward();
    }
    if (options_.clip_grad_norm)
      torch::nn::utils::clip_grad_norm_(model.parameters(), *options_.clip_grad_norm);
    optimizer.step();
    loss_sum.add(loss, end - begin);
    notify([&](TrainerCallback& c) { c.on_batch_end(epoch, batch_index, loss); });
    throw_if_stop_requested("in epoch " + std::to_string(epoch));
  }
  return loss_sum.total();
}

TrainOutcome Trainer::fit(ModelImpl& model, Objective& objective, const LabelledSet& train,
                          const LabelledSet& val, const Corruption& corrupt,
                          const Validation& validate) {
  TrainOutcome outcome;
  OptimizerSetup setup = make_optimizer(model, options_);
  TrainingState state{&model, setup.optimizer.get(), options_.epochs, 0};
  // Null where autograd takes every step (any model but a dense autoencoder on the CPU).
  const std::unique_ptr<DenseStep> dense_step =
      DenseStep::for_model(model, objective, options_.precision);
  try {
    notify([&](TrainerCallback& c) { c.on_run_start(state); });
    outcome.epochs_run = state.completed_epochs;
    for (int64_t epoch = state.completed_epochs + 1; epoch <= options_.epochs; ++epoch) {
      auto start = std::chrono::steady_clock::now();
      const PhaseOptions* phase = phase_at(options_, epoch);
      if (options_.lr_schedule != "constant" || options_.warmup_epochs > 0 || phase)
        set_learning_rates(setup, epoch, phase ? phase->lr_scale : 1.0, options_);
      notify([&](TrainerCallback& c) { c.on_epoch_start(epoch, options_.epochs); });
      model.start_epoch(epoch, options_.epochs);
      model.train();
      if (phase) apply_freezing(model, phase->freeze);
      double train_loss =
          train_epoch(model, objective, *setup.optimizer, train, corrupt, dense_step.get(), epoch) /
          static_cast<double>(train.size());
      EpochSummary summary =
          close_epoch(model, epoch, options_.epochs, train_loss, validate, val, outcome);
      summary.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      notify([&](TrainerCallback& c) { c.on_epoch_end(summary); });
      if (outcome.diverged) break;
    }
  } catch (const std::exception& error) {
    notify([&](TrainerCallback& c) { c.on_error(error); });
    throw;
  }
  model.eval();
  notify([&](TrainerCallback& c) { c.on_run_end(outcome); });
  return outcome;
}

}  // namespace aelab
