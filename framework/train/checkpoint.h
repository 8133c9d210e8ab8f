// Checkpoints: every N epochs the model, optimizer, epoch, history, random-generator state and
// the run's wall time so far are written atomically; a run restarted after a crash resumes from
// the last one and ends bit-identical on CPU to a run that was never interrupted. The state at the
// end of the last whole epoch is also kept in memory, and written when a stop request (a signal)
// interrupts the run, so a preempted or cancelled run loses at most the epoch it was in. The last
// epoch's is written too where asked (a stop may come in the evaluation after it); the worker
// removes the checkpoints once the run file is written, unless trainer.keep_checkpoint.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "framework/train/callback.h"
#include "framework/train/run_clock.h"

namespace aelab {

/// What a training's checkpoints hold.
enum class Checkpoints {
  kNone,           ///< none: a stop reruns the training from its start
  kWhenStopped,    ///< every `checkpoint_every` epochs, and the last whole epoch at a stop
  kWithLastEpoch,  ///< those, and the last epoch's: a stop in the evaluation after it resumes there
};

/// Saves a checkpoint every `every` epochs to `path` and resumes from it at run start.
class CheckpointCallback : public TrainerCallback {
 public:
  /// `every` = 0 writes only when interrupted; `last_epoch` also at the last epoch (the
  /// evaluation after it may be interrupted too), where its loss is finite and the disk takes it.
  /// `history` is saved and restored with the rest; `say` reports a resume (may be null);
  /// `clock` (may be null) is saved, and set forward on a resume.
  CheckpointCallback(std::string path, int64_t every, std::shared_ptr<HistoryRecorder> history,
                     std::function<void(const std::string&)> say,
                     std::shared_ptr<RunClock> clock = nullptr, bool last_epoch = true);
  void on_run_start(TrainingState& state) override;
  void on_epoch_end(const EpochSummary& summary) override;
  /// On Interrupted, writes the last whole epoch's state.
  void on_error(const std::exception& error) override;

 private:
  void restore(TrainingState& state);
  std::string snapshot(int64_t epoch) const;
  void write(const std::string& bytes) const;
  std::string path_;
  int64_t every_;
  bool last_epoch_write_;
  std::shared_ptr<HistoryRecorder> history_;
  std::function<void(const std::string&)> say_;
  std::shared_ptr<RunClock> clock_;
  TrainingState* state_ = nullptr;
  std::string last_epoch_;  ///< the serialized state at the end of the last whole epoch
};

}  // namespace aelab
