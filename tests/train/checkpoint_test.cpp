// Checkpoints carry the run's wall time: a run resumed from one goes on counting from the time
// it had spent when the checkpoint was written, so its recorded wall_seconds covers its earlier
// attempts too.
#include "framework/train/checkpoint.h"

#include <gtest/gtest.h>

#include "framework/core/yaml_io.h"
#include "framework/models/model.h"
#include "framework/train/objective.h"
#include "framework/train/trainer.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

std::shared_ptr<ModelImpl> tiny_autoencoder() {
  BuildContext context;
  context.input_shape = {1, 4, 4};
  context.config = parse_yaml("encoder: {name: linear}\ndecoder: {name: linear}\n", "test");
  torch::manual_seed(0);
  return model_registry().at("ae").make(parse_yaml("name: ae\nlatent_dim: 2", "test"), context);
}

/// Trains `epochs` epochs with a checkpoint at `path` (resuming from it when it is there) and
/// keeps the last epoch's state.
void train_with_checkpoint(const std::string& path, int64_t epochs,
                           std::shared_ptr<RunClock> clock) {
  torch::manual_seed(1);
  torch::Tensor x = torch::rand({32, 1, 4, 4});
  auto model = tiny_autoencoder();
  auto objective = make_objective("reconstruction");
  TrainerOptions options;
  options.epochs = epochs;
  auto history = std::make_shared<HistoryRecorder>();
  auto checkpoint =
      std::make_shared<CheckpointCallback>(path, 1, history, nullptr, std::move(clock));
  Trainer(options, {history, checkpoint}).fit(*model, *objective, {x, {}}, {x, {}});
}

TEST(Checkpoint, AResumedRunGoesOnFromTheWallTimeItsCheckpointRecorded) {
  testing::ScratchDir dir;
  const std::string path = dir.file("run.pt");
  auto first_attempt = std::make_shared<RunClock>();
  first_attempt->resume_at(100.0);  // as if its first epochs had taken 100 s
  train_with_checkpoint(path, 2, first_attempt);
  auto second_attempt = std::make_shared<RunClock>();
  EXPECT_LT(second_attempt->seconds(), 1.0);
  train_with_checkpoint(path, 3, second_attempt);
  EXPECT_GE(second_attempt->seconds(), 100.0);
  EXPECT_LT(second_attempt->seconds(), first_attempt->seconds() + 60.0);
}

TEST(Checkpoint, ACheckpointWithoutTheWallTimeResumesWithTheClockUntouched) {
  testing::ScratchDir dir;
  const std::string path = dir.file("run.pt");
  train_with_checkpoint(path, 2, nullptr);  // untimed, as checkpoints written before the clock
  auto clock = std::make_shared<RunClock>();
  clock->resume_at(50.0);
  train_with_checkpoint(path, 3, clock);
  EXPECT_GE(clock->seconds(), 50.0);  // not set back to the 0 of a missing value
  EXPECT_LT(clock->seconds(), 60.0);
}

}  // namespace
}  // namespace aelab
