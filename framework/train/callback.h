// Trainer callbacks: the trainer emits per-epoch metrics; printing and recording are callbacks.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aelab {

/// Metrics of one finished epoch: split (`train`, `val`) -> metric -> value.
struct EpochSummary {
  int64_t epoch = 0;  ///< 1-based
  int64_t epochs = 0;
  std::map<std::string, std::map<std::string, double>> metrics;
  double seconds = 0;
};

/// Receives trainer events.
class TrainerCallback {
 public:
  virtual ~TrainerCallback() = default;
  virtual void on_epoch_end(const EpochSummary& summary) = 0;
};

/// Keeps every epoch's metrics as a history: split -> metric -> values.
class HistoryRecorder : public TrainerCallback {
 public:
  void on_epoch_end(const EpochSummary& summary) override;
  const std::map<std::string, std::map<std::string, std::vector<double>>>& history() const {
    return history_;
  }

 private:
  std::map<std::string, std::map<std::string, std::vector<double>>> history_;
};

/// Prints one line per epoch: `[label] epoch 3/10 train/mse 0.0123 val/sse 12.3 (1.2 s)`.
class ConsoleProgress : public TrainerCallback {
 public:
  explicit ConsoleProgress(std::string label) : label_(std::move(label)) {}
  void on_epoch_end(const EpochSummary& summary) override;

 private:
  std::string label_;
};

}  // namespace aelab
