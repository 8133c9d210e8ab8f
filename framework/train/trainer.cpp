// Trainer loop.
#include "framework/train/trainer.h"

#include <chrono>
#include <cmath>

#include "framework/core/settings_section.h"
#include "framework/metrics/reconstruction_metrics.h"

namespace aelab {

[[maybe_unused]] static bool trainer_section =
    declare_settings_section<TrainerOptions>("trainer", "the trainer");

TrainOutcome Trainer::fit(ModelImpl& model, const torch::Tensor& train_x,
                          const torch::Tensor& val_x, const Corruption& corrupt,
                          const Validation& validate) {
  TrainOutcome outcome;
  torch::optim::Adam optimizer(
      model.parameters(),
      torch::optim::AdamOptions(options_.lr).weight_decay(options_.weight_decay));
  const int64_t n = train_x.size(0);
  for (int64_t epoch = 1; epoch <= options_.epochs; ++epoch) {
    auto start = std::chrono::steady_clock::now();
    if (options_.lr_schedule == "cosine") {
      double progress = static_cast<double>(epoch - 1) / static_cast<double>(options_.epochs);
      double lr = 0.5 * options_.lr * (1.0 + std::cos(M_PI * progress));
      for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    }
    model.start_epoch(epoch, options_.epochs);
    model.train();
    torch::Tensor order =
        torch::randperm(n, torch::TensorOptions().dtype(torch::kLong).device(train_x.device()));
    torch::Tensor loss_sum = torch::zeros({}, train_x.options().dtype(torch::kFloat64));
    for (int64_t begin = 0; begin < n; begin += options_.batch_size) {
      int64_t end = std::min(begin + options_.batch_size, n);
      torch::Tensor batch = train_x.index_select(0, order.slice(0, begin, end));
      optimizer.zero_grad();
      torch::Tensor loss = model.loss(corrupt ? corrupt(batch) : batch, batch);
      loss.backward();
      optimizer.step();
      loss_sum += loss.detach().to(torch::kFloat64) * static_cast<double>(end - begin);
    }
    double train_loss = loss_sum.item<double>() / static_cast<double>(n);
    EpochSummary summary;
    summary.epoch = epoch;
    summary.epochs = options_.epochs;
    summary.metrics["train"]["loss"] = train_loss;
    if (!std::isfinite(train_loss)) {
      outcome.diverged = true;
      outcome.message = "training loss became " +
                        std::string(std::isnan(train_loss) ? "NaN" : "infinite") + " in epoch " +
                        std::to_string(epoch) + " (try a lower trainer.lr)";
    } else {
      model.eval();
      summary.metrics["val"] = validate
                                   ? validate(val_x)
                                   : reconstruction_metrics(model, val_x, options_.eval_batch_size);
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (auto& callback : callbacks_) callback->on_epoch_end(summary);
    outcome.epochs_run = epoch;
    if (outcome.diverged) break;
  }
  model.eval();
  return outcome;
}

}  // namespace aelab
