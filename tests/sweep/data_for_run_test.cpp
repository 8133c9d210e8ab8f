// A stacked training's runs evaluate on the tensors it loaded, and only where those were loaded
// for the same `data:` section onto the same device.
#include <gtest/gtest.h>

#include "framework/core/yaml_io.h"
#include "framework/experiment/run_inputs.h"
#include "framework/experiment/training.h"

namespace aelab {
namespace {

ConfigNode parabola(int64_t train_size) {
  return parse_yaml(
      "data: {name: parabola, train_size: " + std::to_string(train_size) + ", test_size: 10}\n",
      "test");
}

/// A run context whose finished training kept `data`.
RunContext trained_on(const TrainingData& data) {
  auto finished = std::make_shared<FinishedTraining>();
  finished->data = std::make_shared<const TrainingData>(data);
  RunContext context;
  context.finished_training = finished;
  return context;
}

TEST(DataForRun, TakesTheStackedTrainingsTensorsOnlyForTheSameSectionAndDevice) {
  const ConfigNode config = parabola(50);
  const TrainingData shared = load_training_data(config, torch::kCPU);
  const RunContext stacked = trained_on(shared);

  const TrainingData same = data_for_run(config, stacked, torch::kCPU);
  EXPECT_TRUE(same.loaded.train_x.is_same(shared.loaded.train_x));
  EXPECT_TRUE(same.on_device.test_x.is_same(shared.on_device.test_x));

  const TrainingData other = data_for_run(parabola(60), stacked, torch::kCPU);
  EXPECT_FALSE(other.loaded.train_x.is_same(shared.loaded.train_x));
  EXPECT_EQ(other.loaded.train_x.size(0) + other.loaded.val_x.size(0), 60);

  TrainingData elsewhere = shared;  // as if kept on another device
  elsewhere.device = torch::Device(torch::kMeta);
  const TrainingData moved = data_for_run(config, trained_on(elsewhere), torch::kCPU);
  EXPECT_FALSE(moved.loaded.train_x.is_same(shared.loaded.train_x));

  const TrainingData alone = data_for_run(config, RunContext{}, torch::kCPU);
  EXPECT_FALSE(alone.loaded.train_x.is_same(shared.loaded.train_x));
  EXPECT_TRUE(torch::equal(alone.loaded.train_x, shared.loaded.train_x));
  EXPECT_TRUE(torch::equal(alone.on_device.test_x, shared.on_device.test_x));
}

}  // namespace
}  // namespace aelab
