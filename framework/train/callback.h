// Trainer callbacks: the trainer runs the loop and tells callbacks what happens; printing,
// recording and checkpointing are callbacks, so the trainer does no I/O.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <vector>

namespace aelab {

class ModelImpl;

/// Metrics of one finished epoch: split (`train`, `val`) -> metric -> value.
struct EpochSummary {
  int64_t epoch = 0;  ///< 1-based
  int64_t epochs = 0;
  std::map<std::string, std::map<std::string, double>> metrics;
  double seconds = 0;
};

/// What a run's callbacks may read and, at its start, restore: the model, the optimizer and how
/// many epochs are already done (a checkpoint sets it when resuming).
struct TrainingState {
  ModelImpl* model = nullptr;
  torch::optim::Optimizer* optimizer = nullptr;
  int64_t epochs = 0;            ///< the run's total
  int64_t completed_epochs = 0;  ///< done before this process started the loop
};

/// How training ended.
struct TrainOutcome {
  bool diverged = false;
  std::string message;  ///< why it diverged
  int64_t epochs_run = 0;
};

/// Receives trainer events; every hook does nothing by default.
class TrainerCallback {
 public:
  virtual ~TrainerCallback() = default;
  /// Before the first epoch; may restore `state` (resuming from a checkpoint).
  virtual void on_run_start(TrainingState& state) {}
  virtual void on_epoch_start(int64_t epoch, int64_t epochs) {}
  /// After each optimizer step; `loss` is the batch's loss tensor (reading it synchronises).
  virtual void on_batch_end(int64_t epoch, int64_t batch, const torch::Tensor& loss) {}
  virtual void on_epoch_end(const EpochSummary& summary) {}
  virtual void on_run_end(const TrainOutcome& outcome) {}
  /// When the loop throws; the exception is rethrown after every callback saw it.
  virtual void on_error(const std::exception& error) {}
};

/// History of every epoch's metrics: split -> metric -> one value per epoch.
using History = std::map<std::string, std::map<std::string, std::vector<double>>>;

/// Keeps every epoch's metrics as a history.
class HistoryRecorder : public TrainerCallback {
 public:
  void on_epoch_end(const EpochSummary& summary) override;
  const History& history() const { return history_; }
  /// Replaces the history (a resumed run continues the one its checkpoint holds).
  void restore(History history) { history_ = std::move(history); }

 private:
  History history_;
};

/// Prints one line per epoch: `[label] epoch 3/10 train/loss 0.0123 val/sse 12.3 (1.2 s)`.
class ConsoleProgress : public TrainerCallback {
 public:
  explicit ConsoleProgress(std::string label) : label_(std::move(label)) {}
  void on_epoch_end(const EpochSummary& summary) override;

 private:
  std::string label_;
};

}  // namespace aelab
