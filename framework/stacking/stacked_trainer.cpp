// The stacked training loop: Trainer::fit's loop, for K variants at once.
#include "framework/stacking/stacked_trainer.h"

#include <chrono>
#include <cmath>

#include "framework/core/error.h"
#include "framework/core/stop_request.h"
#include "framework/data/batch_gather.h"
#include "framework/stacking/stacked_adam.h"
#include "framework/stacking/stacked_autoencoder.h"
#include "framework/train/fused_adam.h"
#include "framework/train/loss_sum.h"
#include "framework/train/optimizer.h"

namespace aelab {
namespace {

/// The settings of an Adam or AdamW optimizer's first group.
VariantAdamSettings adam_settings(torch::optim::Optimizer& optimizer) {
  auto& options = optimizer.param_groups().front().options();
  if (auto* adamw = dynamic_cast<torch::optim::AdamWOptions*>(&options))
    return {adamw->lr(), adamw->weight_decay(), std::get<0>(adamw->betas()),
            std::get<1>(adamw->betas()), adamw->eps()};
  if (auto* adam = dynamic_cast<torch::optim::AdamOptions*>(&options))
    return {adam->lr(), adam->weight_decay(), std::get<0>(adam->betas()),
            std::get<1>(adam->betas()), adam->eps()};
  throw Error("stacked training: only adam and adamw are stacked");
}

void check_variants_agree(const std::vector<StackedVariant>& variants) {
  const TrainerOptions& first = variants.front().options;
  for (const auto& v : variants) {
    if (v.options.epochs != first.epochs || v.options.batch_size != first.batch_size ||
        v.options.optimizer != first.optimizer || v.train.size() != variants[0].train.size())
      throw Error("stacked training: variants differ in epochs, batch size, optimizer or data");
    if (!v.options.param_groups.empty() || !v.options.phases.empty() ||
        v.options.lr_schedule != "constant" || v.options.warmup_epochs > 0 ||
        v.options.clip_grad_norm || v.options.init_from || v.options.precision != "fp32")
      throw Error(
          "stacked training: param_groups, phases, schedules, clipping, init_from and bf16 are "
          "not stacked");
  }
}

/// One stacked training: the batched model, its optimizer, each variant's own optimizer (its
/// state in LibTorch's format, for checkpoints) and its random generator state.
class StackedFit {
 public:
  explicit StackedFit(std::vector<StackedVariant>& variants)
      : variants_(variants),
        count_(variants.size()),
        stacked_(models_of(variants)),
        generator_(at::globalContext().defaultGenerator(variants.front().train.x.device())),
        active_(variants.size(), true) {
    std::vector<VariantAdamSettings> settings;
    for (auto& v : variants_) {
      optimizers_.push_back(make_optimizer(*v.model, v.options));
      settings.push_back(adam_settings(*optimizers_.back().optimizer));
    }
    adam_ = std::make_unique<StackedAdam>(stacked_.parameters(), settings,
                                          variants_.front().options.optimizer == "adamw");
  }

  void run() {
    const int64_t epochs = variants_.front().options.epochs;
    std::vector<TrainingState> states(count_);
    for (size_t k = 0; k < count_; ++k) {
      states[k] = {variants_[k].model, optimizers_[k].optimizer.get(), epochs, 0};
      notify(k, [&](TrainerCallback& c) { c.on_run_start(states[k]); });
      if (states[k].completed_epochs != 0)
        throw Error("stacked training: a variant resumes from a checkpoint; it runs alone");
    }
    for (int64_t epoch = 1; epoch <= epochs && any_active(); ++epoch) {
      const auto start = std::chrono::steady_clock::now();
      std::vector<LossSum> loss_sums = train_epoch(epoch, epochs);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
          static_cast<double>(std::count(active_.begin(), active_.end(), true));
      for (size_t k = 0; k < count_; ++k)
        if (active_[k]) end_epoch(k, epoch, epochs, loss_sums[k], seconds);
    }
    for (size_t k = 0; k < count_; ++k) {
      variants_[k].model->eval();
      notify(k, [&](TrainerCallback& c) { c.on_run_end(variants_[k].outcome); });
    }
  }

  /// The variants still training hear of the error (a signal's Interrupted writes their
  /// checkpoints); a diverged variant's run already ended.
  void fail(const std::exception& error) {
    for (size_t k = 0; k < count_; ++k)
      if (active_[k]) notify(k, [&](TrainerCallback& c) { c.on_error(error); });
  }

 private:
  static std::vector<AutoencoderImpl*> models_of(const std::vector<StackedVariant>& variants) {
    std::vector<AutoencoderImpl*> models;
    for (const auto& v : variants) models.push_back(v.model);
    return models;
  }

  bool any_active() const {
    return std::find(active_.begin(), active_.end(), true) != active_.end();
  }

  /// Runs `draw` on variant k's own generator state (its data order, its noise).
  void with_generator_of(size_t k, const std::function<void()>& draw) {
    generator_.set_state(variants_[k].rng_state);
    draw();
    variants_[k].rng_state = generator_.get_state();
  }

  /// Tells variant k's callbacks, with its generator state in place (a checkpoint saves it).
  void notify(size_t k, const std::function<void(TrainerCallback&)>& event) {
    with_generator_of(k, [&] {
      for (auto& callback : variants_[k].callbacks) event(*callback);
    });
  }

  /// One pass over the data; each variant's loss summed over its samples (float64).
  std::vector<LossSum> train_epoch(int64_t epoch, int64_t epochs) {
    const int64_t n = variants_.front().train.size();
    const int64_t batch_size = variants_.front().options.batch_size;
    std::vector<torch::Tensor> orders(count_);
    std::vector<LossSum> loss_sums(count_);
    for (size_t k = 0; k < count_; ++k) {
      const auto options =
          torch::TensorOptions().dtype(torch::kLong).device(variants_[k].train.x.device());
      if (!active_[k]) {  // a diverged variant rides along, unused, in the data's order
        orders[k] = torch::arange(n, options);
        continue;
      }
      notify(k, [&](TrainerCallback& c) { c.on_epoch_start(epoch, epochs); });
      variants_[k].model->start_epoch(epoch, epochs);
      with_generator_of(k, [&] { orders[k] = torch::randperm(n, options); });
    }
    int64_t batch_index = 0;
    for (int64_t begin = 0; begin < n; begin += batch_size, ++batch_index) {
      const int64_t end = std::min(begin + batch_size, n);
      std::vector<Batch> batches(count_);
      for (size_t k = 0; k < count_; ++k)
        batches[k] = gathers_[k].take(variants_[k].train, orders[k].slice(0, begin, end));
      std::vector<torch::Tensor> losses = step(batches);
      for (size_t k = 0; k < count_; ++k) {
        if (!active_[k]) continue;
        loss_sums[k].add(losses[k], end - begin);
        notify(k, [&](TrainerCallback& c) { c.on_batch_end(epoch, batch_index, losses[k]); });
      }
      throw_if_stop_requested("in epoch " + std::to_string(epoch));
    }
    return loss_sums;
  }

  /// One optimizer step of every variant on its batch; each active variant's loss.
  std::vector<torch::Tensor> step(const std::vector<Batch>& batches) {
    std::vector<torch::Tensor> inputs(count_), losses(count_);
    for (size_t k = 0; k < count_; ++k) {
      inputs[k] = batches[k].x;
      if (active_[k] && variants_[k].corrupt)
        with_generator_of(k, [&] { inputs[k] = variants_[k].corrupt(batches[k].x); });
      inputs[k] = inputs[k].flatten(1);
    }
    adam_->zero_grad();
    torch::Tensor reconstructions = stacked_.forward(torch::stack(inputs));
    torch::Tensor total;
    for (size_t k = 0; k < count_; ++k) {
      if (!active_[k]) continue;
      ModelOutputs outputs;
      outputs.set("reconstruction",
                  reconstructions[static_cast<int64_t>(k)].view(batches[k].x.sizes()));
      losses[k] = variants_[k].objective->loss(*variants_[k].model, outputs, batches[k]);
      total = total.defined() ? total + losses[k] : losses[k];
    }
    total.backward();
    adam_->step();
    return losses;
  }

  /// Variant k's weights and optimizer state into its own model and optimizer; its epoch
  /// summary (validation included) to its callbacks; divergence ends its training.
  void end_epoch(size_t k, int64_t epoch, int64_t epochs, const LossSum& loss_sum, double seconds) {
    StackedVariant& v = variants_[k];
    const auto variant = static_cast<int64_t>(k);
    stacked_.copy_to_variant(variant);
    const auto own = stacked_.variant_parameters(variant);
    const auto means = stacked_.variant_slices(adam_->exp_avg(), variant);
    const auto squares = stacked_.variant_slices(adam_->exp_avg_sq(), variant);
    for (size_t i = 0; i < own.size(); ++i)
      set_adam_state(*optimizers_[k].optimizer, own[i], adam_->steps(), means[i], squares[i]);
    const double train_loss = loss_sum.total() / static_cast<double>(v.train.size());
    EpochSummary summary{epoch, epochs, {}, seconds};
    summary.metrics["train"]["loss"] = train_loss;
    if (!std::isfinite(train_loss)) {
      v.outcome.diverged = true;
      v.outcome.message = divergence_message(train_loss, epoch);
    } else if (v.validate && v.val.size() > 0) {
      v.model->eval();
      summary.metrics["val"] = v.validate(v.val);
    }
    notify(k, [&](TrainerCallback& c) { c.on_epoch_end(summary); });
    v.outcome.epochs_run = epoch;
    if (v.outcome.diverged) active_[k] = false;
  }

  std::vector<StackedVariant>& variants_;
  size_t count_;
  StackedAutoencoder stacked_;
  at::Generator generator_;
  std::vector<OptimizerSetup> optimizers_;
  std::unique_ptr<StackedAdam> adam_;
  std::vector<bool> active_;
  std::vector<BatchGather> gathers_ = std::vector<BatchGather>(count_);  ///< batch buffers
};

}  // namespace

void fit_stacked(std::vector<StackedVariant>& variants) {
  check_variants_agree(variants);
  StackedFit fit(variants);
  try {
    fit.run();
  } catch (const std::exception& error) {
    fit.fail(error);
    throw;
  }
}

}  // namespace aelab
