// Checkpoint files: a LibTorch archive with `model`, `optimizer`, `epoch`, `rng`, `history` and
// `seconds` (the run's wall time when it was written; older checkpoints lack it).
#include "framework/train/checkpoint.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <sstream>

#include "framework/core/atomic_file.h"
#include "framework/core/error.h"
#include "framework/core/stop_request.h"
#include "framework/models/model.h"

namespace fs = std::filesystem;

namespace aelab {
namespace {

/// The device the model's tensors live on.
torch::Device device_of(ModelImpl& model) {
  for (const auto& parameter : model.parameters()) return parameter.device();
  for (const auto& buffer : model.buffers()) return buffer.device();
  return torch::kCPU;
}

/// The default generator of the model's device: what randperm, dropout and noise draw from.
at::Generator generator_for(ModelImpl& model) {
  return at::globalContext().defaultGenerator(device_of(model));
}

void write_history(torch::serialize::OutputArchive& archive, const History& history) {
  torch::serialize::OutputArchive splits;
  for (const auto& [split, metrics] : history) {
    torch::serialize::OutputArchive values;
    for (const auto& [name, series] : metrics)
      values.write(name, torch::tensor(series, torch::kFloat64));
    splits.write(split, values);
  }
  archive.write("history", splits);
}

History read_history(torch::serialize::InputArchive& archive) {
  torch::serialize::InputArchive splits;
  archive.read("history", splits);
  History history;
  for (const auto& split : splits.keys()) {
    torch::serialize::InputArchive values;
    splits.read(split, values);
    for (const auto& name : values.keys()) {
      torch::Tensor series;
      values.read(name, series);
      series = series.contiguous();
      history[split][name].assign(series.data_ptr<double>(),
                                  series.data_ptr<double>() + series.numel());
    }
  }
  return history;
}

}  // namespace

CheckpointCallback::CheckpointCallback(std::string path, int64_t every,
                                       std::shared_ptr<HistoryRecorder> history,
                                       std::function<void(const std::string&)> say,
                                       std::shared_ptr<RunClock> clock, bool last_epoch)
    : path_(std::move(path)),
      every_(every),
      last_epoch_write_(last_epoch),
      history_(std::move(history)),
      say_(std::move(say)),
      clock_(std::move(clock)) {}

void CheckpointCallback::on_run_start(TrainingState& state) {
  state_ = &state;
  if (!fs::exists(path_)) return;
  try {
    restore(state);
  } catch (const c10::Error&) {
    throw DataError(path_ + ": unreadable checkpoint (delete it to start the run afresh)");
  }
  if (say_)
    say_("resuming from the checkpoint of epoch " + std::to_string(state.completed_epochs) + " (" +
         path_ + ")");
}

void CheckpointCallback::restore(TrainingState& state) {
  torch::serialize::InputArchive archive, model_archive, optimizer_archive;
  archive.load_from(path_, device_of(*state.model));
  archive.read("model", model_archive);
  state.model->load(model_archive);
  archive.read("optimizer", optimizer_archive);
  state.optimizer->load(optimizer_archive);
  torch::Tensor epoch, rng;
  archive.read("epoch", epoch);
  archive.read("rng", rng);
  generator_for(*state.model).set_state(rng.to(torch::kCPU));
  history_->restore(read_history(archive));
  state.completed_epochs = epoch.item<int64_t>();
  torch::Tensor seconds;
  if (clock_ && archive.try_read("seconds", seconds)) clock_->resume_at(seconds.item<double>());
}

std::string CheckpointCallback::snapshot(int64_t epoch) const {
  torch::serialize::OutputArchive archive, model_archive, optimizer_archive;
  state_->model->save(model_archive);
  archive.write("model", model_archive);
  state_->optimizer->save(optimizer_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("epoch", torch::tensor(epoch, torch::kLong));
  archive.write("rng", generator_for(*state_->model).get_state());
  write_history(archive, history_->history());
  if (clock_) archive.write("seconds", torch::tensor(clock_->seconds(), torch::kFloat64));
  std::ostringstream bytes;
  archive.save_to(bytes);
  return bytes.str();
}

void CheckpointCallback::write(const std::string& bytes) const {
  write_file_atomically(path_, [&](std::ostream& out) {
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  });
}

void CheckpointCallback::on_epoch_end(const EpochSummary& summary) {
  // The last epoch's: a stop during the evaluation that follows resumes from it, not from the
  // beginning. Not a diverged one's (its run ends), and a disk that refuses it only costs that.
  if (summary.epoch == summary.epochs) {
    const auto train = summary.metrics.find("train");
    const bool diverged =
        train != summary.metrics.end() &&
        std::any_of(train->second.begin(), train->second.end(),
                    [](const auto& metric) { return !std::isfinite(metric.second); });
    if (!last_epoch_write_ || diverged) return;
    try {
      write(snapshot(summary.epoch));
    } catch (const std::exception& e) {
      if (say_) say_("warning: no checkpoint of the last epoch (" + std::string(e.what()) + ")");
    }
    return;
  }
  last_epoch_ = snapshot(summary.epoch);
  // Fault injection for the interruption tests: a Ctrl-C right after this epoch.
  if (const char* stop_after = std::getenv("AELAB_INTERRUPT_AFTER_EPOCH");
      stop_after && std::atoll(stop_after) == summary.epoch && !stop_requested())
    std::raise(SIGINT);
  if (every_ <= 0 || summary.epoch % every_ != 0) return;
  write(last_epoch_);
  // Fault injection for the kill-and-resume test: die as `kill -9` would, right after a save.
  if (const char* kill_after = std::getenv("AELAB_KILL_AFTER_CHECKPOINT");
      kill_after && std::atoll(kill_after) == summary.epoch)
    std::raise(SIGKILL);
}

void CheckpointCallback::on_error(const std::exception& error) {
  if (dynamic_cast<const Interrupted*>(&error) && !last_epoch_.empty()) write(last_epoch_);
}

}  // namespace aelab
