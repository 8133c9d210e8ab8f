// The stacked training loop: Trainer::fit's loop, for K variants at once.
#include "framework/stacking/stacked_trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <typeinfo>

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

}  // namespace

std::string why_trainer_does_not_stack(const TrainerOptions& options) {
  if (options.optimizer != "adam" && options.optimizer != "adamw")
    return "trainer.optimizer=" + options.optimizer + " does not stack (adam and adamw do)";
  if (options.precision != "fp32")
    return "trainer.precision=" + options.precision + " does not stack";
  if (options.lr_schedule != "constant" || options.warmup_epochs > 0)
    return "learning-rate schedules do not stack";
  if (!options.param_groups.empty()) return "trainer.param_groups does not stack";
  if (!options.phases.empty()) return "trainer.phases does not stack";
  if (options.clip_grad_norm) return "trainer.clip_grad_norm does not stack";
  if (options.init_from) return "trainer.init_from does not stack";
  return "";
}

namespace {

void check_variants_agree(const std::vector<StackedVariant>& variants) {
  if (variants.empty()) throw Error("stacked training: no variants to train");
  const TrainerOptions& first = variants.front().options;
  const Objective& objective = *variants.front().objective;
  for (const auto& v : variants) {
    if (typeid(*v.objective) != typeid(objective))
      throw Error("stacked training: variant " + std::to_string(&v - variants.data()) +
                  "'s objective is of another kind than variant 0's");
    if (v.options.epochs != first.epochs || v.options.batch_size != first.batch_size ||
        v.options.optimizer != first.optimizer || v.train.size() != variants[0].train.size())
      throw Error("stacked training: variants differ in epochs, batch size, optimizer or data");
    if (const std::string why = why_trainer_does_not_stack(v.options); !why.empty())
      throw Error("stacked training: " + why);
  }
}

/// Whether every variant trains on the same tensors, as a sweep's stack does (one data load).
bool same_training_data(const std::vector<StackedVariant>& variants) {
  const LabelledSet& first = variants.front().train;
  return std::all_of(variants.begin(), variants.end(), [&](const StackedVariant& v) {
    return v.train.x.is_same(first.x) && v.train.y.defined() == first.y.defined() &&
           (!first.y.defined() || v.train.y.is_same(first.y));
  });
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
      mask_active();
      const auto start = std::chrono::steady_clock::now();
      const std::vector<double> loss_sums = train_epoch(epoch, epochs).totals();
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
  LossSum train_epoch(int64_t epoch, int64_t epochs) {
    const int64_t n = variants_.front().train.size();
    const int64_t batch_size = variants_.front().options.batch_size;
    std::vector<torch::Tensor> orders(count_);
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
    LossSum loss_sum;
    int64_t batch_index = 0;
    for (int64_t begin = 0; begin < n; begin += batch_size, ++batch_index) {
      const int64_t end = std::min(begin + batch_size, n);
      const torch::Tensor losses = step(take_batches(orders, begin, end));
      loss_sum.add(losses, end - begin);
      for (size_t k = 0; k < count_; ++k) {
        if (!active_[k]) continue;
        const torch::Tensor loss = losses[static_cast<int64_t>(k)];
        notify(k, [&](TrainerCallback& c) { c.on_batch_end(epoch, batch_index, loss); });
      }
      throw_if_stop_requested("in epoch " + std::to_string(epoch));
    }
    return loss_sum;
  }

  /// Every variant's batch, and the clean inputs of all of them as one [K, B, D] tensor.
  struct StackedBatch {
    std::vector<Batch> batches;
    torch::Tensor clean;
  };

  /// Rows [begin, end) of each variant's order. Where the variants train on the same tensors (a
  /// sweep's stack shares its data), one gather takes them all: on a GPU one kernel, not K.
  StackedBatch take_batches(const std::vector<torch::Tensor>& orders, int64_t begin, int64_t end) {
    StackedBatch out;
    out.batches.resize(count_);
    const auto variants = static_cast<int64_t>(count_);
    if (shared_data_) {
      std::vector<torch::Tensor> slices;
      for (const torch::Tensor& order : orders) slices.push_back(order.slice(0, begin, end));
      const Batch all = gathers_.front().take(variants_.front().train, torch::cat(slices));
      const std::vector<torch::Tensor> xs = all.x.chunk(variants);
      const std::vector<torch::Tensor> ys =
          all.y.defined() ? all.y.chunk(variants) : std::vector<torch::Tensor>(count_);
      for (size_t k = 0; k < count_; ++k) out.batches[k] = {xs[k], ys[k]};
      out.clean = all.x.view({variants, end - begin, -1});
      return out;
    }
    std::vector<torch::Tensor> flat(count_);
    for (size_t k = 0; k < count_; ++k) {
      out.batches[k] = gathers_[k].take(variants_[k].train, orders[k].slice(0, begin, end));
      flat[k] = out.batches[k].x.flatten(1);
    }
    out.clean = torch::stack(flat);
    return out;
  }

  /// One optimizer step of every variant on its batch; the [K] losses (a diverged variant's
  /// is its clean batch's against itself, and it trains nothing).
  torch::Tensor step(const StackedBatch& batch) {
    torch::Tensor inputs = batch.clean;
    const auto corrupts = [&](size_t k) { return active_[k] && variants_[k].corrupt; };
    bool any_corrupt = false;
    for (size_t k = 0; k < count_ && !any_corrupt; ++k) any_corrupt = corrupts(k);
    if (any_corrupt) {
      std::vector<torch::Tensor> corrupted(count_);
      for (size_t k = 0; k < count_; ++k) {
        const torch::Tensor& x = batch.batches[k].x;
        corrupted[k] = x;
        if (corrupts(k)) with_generator_of(k, [&] { corrupted[k] = variants_[k].corrupt(x); });
        corrupted[k] = corrupted[k].flatten(1);
      }
      inputs = torch::stack(corrupted);
    }
    adam_->zero_grad();
    torch::Tensor reconstructions = stacked_.forward(inputs);
    // A diverged variant's output (NaN, which some losses refuse) gives way to its target: no
    // gradient reaches its weights.
    if (active_mask_.defined())
      reconstructions = torch::where(active_mask_, reconstructions, batch.clean);
    torch::Tensor losses = stacked_loss_ ? stacked_loss_(reconstructions, batch.clean)
                                         : losses_one_by_one(reconstructions, batch.batches);
    if (stacked_loss_ && !stacked_loss_checked_) check_stacked_loss(losses, reconstructions, batch);
    losses.sum().backward();
    adam_->step();
    return losses.detach();
  }

  /// Once, on the first step: the objective's stacked loss is every variant's own loss(), so
  /// the variants' objectives agree in their options too (Error otherwise).
  void check_stacked_loss(const torch::Tensor& losses, const torch::Tensor& reconstructions,
                          const StackedBatch& batch) {
    torch::NoGradGuard no_grad;
    const torch::Tensor own = losses_one_by_one(reconstructions.detach(), batch.batches);
    const torch::Tensor stacked = losses.detach();
    for (int64_t k = 0; k < own.size(0); ++k) {
      const double mine = own[k].item<double>(), theirs = stacked[k].item<double>();
      if (std::isnan(mine) && std::isnan(theirs)) continue;
      if (std::isnan(mine) != std::isnan(theirs) ||
          std::abs(mine - theirs) > 1e-4 * std::abs(mine) + 1e-6)
        throw Error("stacked training: variant " + std::to_string(k) +
                    "'s objective gives a loss of " + std::to_string(mine) +
                    " where the stack's (variant 0's) gives " + std::to_string(theirs) +
                    ": stacked variants must share the objective and its options");
    }
    stacked_loss_checked_ = true;
  }

  /// Each variant's loss by its own objective, as a [K] tensor: for an objective with no
  /// stacked form, and to check one that has.
  torch::Tensor losses_one_by_one(const torch::Tensor& reconstructions,
                                  const std::vector<Batch>& batches) {
    std::vector<torch::Tensor> losses(count_);
    for (size_t k = 0; k < count_; ++k) {
      ModelOutputs outputs;
      outputs.set("reconstruction",
                  reconstructions[static_cast<int64_t>(k)].view(batches[k].x.sizes()));
      losses[k] = variants_[k].objective->loss(*variants_[k].model, outputs, batches[k]);
    }
    return torch::stack(losses);
  }

  /// Marks the active variants for step(): a [K, 1, 1] mask on the data's device; undefined
  /// while all are active.
  void mask_active() {
    if (std::all_of(active_.begin(), active_.end(), [](bool active) { return active; })) return;
    const std::vector<uint8_t> active(active_.begin(), active_.end());
    active_mask_ = torch::tensor(active, torch::kBool)
                       .view({static_cast<int64_t>(count_), 1, 1})
                       .to(variants_.front().train.x.device());
  }

  /// Variant k's weights and optimizer state into its own model and optimizer; its epoch
  /// summary (validation included) to its callbacks; divergence ends its training.
  void end_epoch(size_t k, int64_t epoch, int64_t epochs, double loss_sum, double seconds) {
    StackedVariant& v = variants_[k];
    const auto variant = static_cast<int64_t>(k);
    stacked_.copy_to_variant(variant);
    const auto own = stacked_.variant_parameters(variant);
    const auto means = stacked_.variant_slices(adam_->exp_avg(), variant);
    const auto squares = stacked_.variant_slices(adam_->exp_avg_sq(), variant);
    for (size_t i = 0; i < own.size(); ++i)
      set_adam_state(*optimizers_[k].optimizer, own[i], adam_->steps(), means[i], squares[i]);
    const double train_loss = loss_sum / static_cast<double>(v.train.size());
    EpochSummary summary =
        close_epoch(*v.model, epoch, epochs, train_loss, v.validate, v.val, v.outcome);
    summary.seconds = seconds;
    notify(k, [&](TrainerCallback& c) { c.on_epoch_end(summary); });
    if (v.outcome.diverged) active_[k] = false;
  }

  std::vector<StackedVariant>& variants_;
  size_t count_;
  StackedAutoencoder stacked_;
  at::Generator generator_;
  std::vector<OptimizerSetup> optimizers_;
  std::unique_ptr<StackedAdam> adam_;
  std::vector<bool> active_;
  torch::Tensor active_mask_;          ///< see mask_active()
  bool stacked_loss_checked_ = false;  ///< see check_stacked_loss()
  std::vector<BatchGather> gathers_ = std::vector<BatchGather>(count_);  ///< batch buffers
  /// Whether every variant trains on the same tensors (then one gather serves all).
  bool shared_data_ = same_training_data(variants_);
  /// The objective's loss over the whole stack; null where it has none.
  StackedReconstructionLoss stacked_loss_ =
      variants_.front().objective->stacked_reconstruction_loss();
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
