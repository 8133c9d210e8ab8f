// Stacked Adam on its tensor path (GPUs, and any parameter that is not CPU float32): each
// variant's slice follows LibTorch's own Adam or AdamW with that variant's settings.
#include "framework/stacking/stacked_adam.h"

#include <gtest/gtest.h>

namespace aelab {
namespace {

TEST(StackedAdam, TensorPathFollowsLibTorchAdamPerVariant) {
  for (const bool decoupled : {false, true}) {
    torch::manual_seed(0);
    const std::vector<VariantAdamSettings> settings = {{1e-2, 0.0}, {3e-3, 0.1}, {1e-1, 0.01}};
    torch::Tensor stacked = torch::randn({3, 4, 5}, torch::kFloat64).requires_grad_(true);
    std::vector<torch::Tensor> own;
    std::vector<std::unique_ptr<torch::optim::Optimizer>> reference;
    for (size_t k = 0; k < settings.size(); ++k) {
      own.push_back(stacked[static_cast<int64_t>(k)].detach().clone().requires_grad_(true));
      if (decoupled)
        reference.push_back(std::make_unique<torch::optim::AdamW>(
            std::vector<torch::Tensor>{own.back()},
            torch::optim::AdamWOptions(settings[k].lr).weight_decay(settings[k].weight_decay)));
      else
        reference.push_back(std::make_unique<torch::optim::Adam>(
            std::vector<torch::Tensor>{own.back()},
            torch::optim::AdamOptions(settings[k].lr).weight_decay(settings[k].weight_decay)));
    }
    StackedAdam adam({stacked}, settings, decoupled);
    for (int step = 0; step < 20; ++step) {
      torch::Tensor target = torch::randn({4, 5}, torch::kFloat64);
      adam.zero_grad();
      (stacked - target).pow(2).sum().backward();
      adam.step();
      for (size_t k = 0; k < own.size(); ++k) {
        reference[k]->zero_grad();
        (own[k] - target).pow(2).sum().backward();
        reference[k]->step();
      }
    }
    for (size_t k = 0; k < own.size(); ++k)
      EXPECT_TRUE(torch::allclose(stacked[static_cast<int64_t>(k)], own[k], 1e-10, 1e-12))
          << (decoupled ? "adamw" : "adam") << " variant " << k << " differs by "
          << (stacked[static_cast<int64_t>(k)] - own[k]).abs().max().item<double>();
  }
}

}  // namespace
}  // namespace aelab
