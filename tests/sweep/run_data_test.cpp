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

TEST(RunData, TakesTheStackedTrainingsTensorsOnlyForTheSameSectionAndDevice) {
  const ConfigNode config = parabola(50);
  auto shared = std::make_shared<TrainingData>(
      TrainingData{to_yaml(*config.get("data")), torch::kCPU, load_data(config), {}});
  shared->on_device = shared->loaded.to(torch::kCPU);
  auto finished = std::make_shared<FinishedTraining>();
  finished->data = shared;
  RunContext stacked;
  stacked.finished_training = finished;

  auto [loaded, on_device] = run_data(config, stacked, torch::kCPU);
  EXPECT_TRUE(loaded.train_x.is_same(shared->loaded.train_x));
  EXPECT_TRUE(on_device.test_x.is_same(shared->on_device.test_x));

  auto [other, other_on_device] = run_data(parabola(60), stacked, torch::kCPU);
  EXPECT_FALSE(other.train_x.is_same(shared->loaded.train_x));
  EXPECT_EQ(other.train_x.size(0) + other.val_x.size(0), 60);

  auto [alone, alone_on_device] = run_data(config, RunContext{}, torch::kCPU);
  EXPECT_FALSE(alone.train_x.is_same(shared->loaded.train_x));
  EXPECT_TRUE(torch::equal(alone.train_x, shared->loaded.train_x));
  EXPECT_TRUE(torch::equal(alone_on_device.test_x, shared->on_device.test_x));
}

}  // namespace
}  // namespace aelab
