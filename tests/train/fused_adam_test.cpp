// The fused Adam and AdamW against LibTorch's: the same parameters after many steps, several
// groups, weight decay, a state that saves and loads, and channels-last convolution weights.
#include "framework/train/fused_adam.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <sstream>

#include "framework/models/channels_last.h"

namespace aelab {
namespace {

torch::nn::Sequential small_net() {
  torch::manual_seed(11);
  return torch::nn::Sequential(torch::nn::Linear(30, 17), torch::nn::ReLU(),
                               torch::nn::Linear(17, 5));
}

void train(torch::nn::Sequential& net, torch::optim::Optimizer& optimizer, int steps, int seed) {
  torch::manual_seed(seed);
  for (int i = 0; i < steps; ++i) {
    torch::Tensor x = torch::randn({8, 30});
    optimizer.zero_grad();
    net->forward(x).pow(2).mean().backward();
    optimizer.step();
  }
}

std::vector<torch::optim::OptimizerParamGroup> two_groups(torch::nn::Sequential& net,
                                                          bool decoupled) {
  auto options = [&](double lr, double decay) -> std::unique_ptr<torch::optim::OptimizerOptions> {
    if (decoupled)
      return std::make_unique<torch::optim::AdamWOptions>(
          torch::optim::AdamWOptions(lr).weight_decay(decay));
    return std::make_unique<torch::optim::AdamOptions>(
        torch::optim::AdamOptions(lr).weight_decay(decay));
  };
  std::vector<torch::Tensor> first = net[0]->parameters(), second = net[2]->parameters();
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(first, options(3e-3, 0.0));
  groups.emplace_back(second, options(1e-2, 0.05));
  return groups;
}

std::vector<torch::optim::OptimizerParamGroup> one_group(torch::nn::Sequential& net) {
  return {torch::optim::OptimizerParamGroup(net->parameters())};
}

/// The largest difference between the two networks' parameters.
double largest_difference(const torch::nn::Sequential& a, const torch::nn::Sequential& b) {
  auto pa = a->parameters(), pb = b->parameters();
  double largest = 0;
  for (size_t i = 0; i < pa.size(); ++i)
    largest = std::max(largest, (pa[i] - pb[i]).abs().max().item<double>());
  return largest;
}

/// The update of one float, written as the formula (this file, like the fused loop's, is compiled
/// without fused multiply-adds): the copy of the fused loop this CPU runs, SSE or AVX2, must give
/// these bits, so the optimizer's arithmetic does not depend on the vector width.
void scalar_update(float& p, float g, float& m, float& v, const AdamStep& s) {
  const float param = p * s.decay_factor;
  const float grad = g + s.l2 * param;
  const float mean = m * s.beta1 + (1.0f - s.beta1) * grad;
  const float square = v * s.beta2 + (1.0f - s.beta2) * (grad * grad);
  const float denom = std::sqrt(square) / s.sqrt_correction2 + s.eps;
  m = mean;
  v = square;
  p = param - s.step_size * (mean / denom);
}

TEST(FusedAdam, MatchesTheScalarFormulaBitForBit) {
  torch::manual_seed(5);
  const int64_t n = 100003;  // not a multiple of any vector width, and split over threads
  for (bool decoupled : {false, true}) {
    torch::Tensor p = torch::randn({n}), g = torch::randn({n}) * 1e-2, m = torch::randn({n}) * 1e-3,
                  v = torch::rand({n}) * 1e-4;
    const torch::Tensor before = p.clone();
    torch::Tensor p2 = p.clone(), m2 = m.clone(), v2 = v.clone();
    const AdamStep step = adam_step(3e-3, 0.05, 0.9, 0.999, 1e-8, 7, decoupled);
    fused_adam_update(p.data_ptr<float>(), g.data_ptr<float>(), m.data_ptr<float>(),
                      v.data_ptr<float>(), n, step);
    float *pp = p2.data_ptr<float>(), *mp = m2.data_ptr<float>(), *vp = v2.data_ptr<float>();
    const float* gp = g.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i) scalar_update(pp[i], gp[i], mp[i], vp[i], step);
    EXPECT_TRUE(torch::equal(p, p2)) << "decoupled " << decoupled;
    EXPECT_TRUE(torch::equal(m, m2)) << "decoupled " << decoupled;
    EXPECT_TRUE(torch::equal(v, v2)) << "decoupled " << decoupled;
    EXPECT_FALSE(torch::equal(p, before)) << "the update moved the parameters";
  }
}

TEST(FusedAdam, FollowsLibTorchsAdamWithGroupsAndWeightDecay) {
  for (bool decoupled : {false, true}) {
    auto reference = small_net(), fused = small_net();
    std::unique_ptr<torch::optim::Optimizer> torch_optimizer, fused_optimizer;
    if (decoupled) {
      torch_optimizer = std::make_unique<torch::optim::AdamW>(two_groups(reference, true),
                                                              torch::optim::AdamWOptions(1e-3));
      fused_optimizer = make_fused_adamw(two_groups(fused, true), torch::optim::AdamWOptions(1e-3));
    } else {
      torch_optimizer = std::make_unique<torch::optim::Adam>(two_groups(reference, false),
                                                             torch::optim::AdamOptions(1e-3));
      fused_optimizer = make_fused_adam(two_groups(fused, false), torch::optim::AdamOptions(1e-3));
    }
    SCOPED_TRACE(decoupled ? "AdamW" : "Adam");
    // LibTorch's kernels round with fused multiply-adds, the fused loop without: one step
    // agrees to float rounding.
    train(reference, *torch_optimizer, 1, 1);
    train(fused, *fused_optimizer, 1, 1);
    EXPECT_LT(largest_difference(reference, fused), 1e-6);
    // Adam moves a parameter whose gradient is near zero by up to the learning rate on a
    // rounding of that gradient's sign, so 200 steps agree to a small part of their movement.
    train(reference, *torch_optimizer, 199, 2);
    train(fused, *fused_optimizer, 199, 2);
    EXPECT_LT(largest_difference(reference, fused), 1e-3);
    EXPECT_GT(largest_difference(small_net(), fused), 0.1) << "the parameters moved";
  }
}

TEST(FusedAdam, UpdatesAChannelsLastWeightInPlaceAsItsContiguousTwin) {
  // A convolution weight in channels-last layout takes the same fused update, element by element
  // over its memory, as the same values laid out contiguously (which take the fused loop, not
  // LibTorch's step: the two round differently, see above).
  torch::manual_seed(5);
  const torch::Tensor values = torch::randn({16, 8, 3, 3});
  torch::Tensor contiguous = values.clone().requires_grad_();
  torch::Tensor channels_last =
      values.contiguous(torch::MemoryFormat::ChannelsLast).requires_grad_();
  ASSERT_FALSE(channels_last.is_contiguous());
  auto first = make_fused_adam({torch::optim::OptimizerParamGroup({contiguous})},
                               torch::optim::AdamOptions(1e-2));
  auto second = make_fused_adam({torch::optim::OptimizerParamGroup({channels_last})},
                                torch::optim::AdamOptions(1e-2));
  for (int step = 0; step < 5; ++step) {
    const torch::Tensor gradient = torch::randn({16, 8, 3, 3});
    contiguous.mutable_grad() = gradient.clone();
    channels_last.mutable_grad() = gradient.contiguous(torch::MemoryFormat::ChannelsLast);
    first->step();
    second->step();
  }
  EXPECT_TRUE(torch::equal(contiguous, channels_last));
  EXPECT_TRUE(channels_last.is_contiguous(torch::MemoryFormat::ChannelsLast));
  EXPECT_GT((contiguous - values).abs().max().item<double>(), 0.01) << "the weights moved";
}

TEST(FusedAdam, StateSavesAndLoadsMidRun) {
  auto whole = small_net(), resumed = small_net();
  auto whole_optimizer = make_fused_adam(one_group(whole), torch::optim::AdamOptions(3e-3));
  train(whole, *whole_optimizer, 50, 2);
  train(whole, *whole_optimizer, 50, 3);
  auto first_half = make_fused_adam(one_group(resumed), torch::optim::AdamOptions(3e-3));
  train(resumed, *first_half, 50, 2);
  torch::serialize::OutputArchive saved;
  first_half->save(saved);
  std::ostringstream bytes;
  saved.save_to(bytes);
  auto second_half = make_fused_adam(one_group(resumed), torch::optim::AdamOptions(3e-3));
  torch::serialize::InputArchive loaded;
  std::istringstream in(bytes.str());
  loaded.load_from(in);
  second_half->load(loaded);
  train(resumed, *second_half, 50, 3);
  auto a = whole->parameters(), b = resumed->parameters();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << i;
}

TEST(FusedAdam, TakesTheGradientsOfA1x1ConvolutionOnChannelsLastMaps) {
  // A 1x1 weight counts as channels-last already (strides O*I, 1, 1, 1), while its gradient from
  // a channels-last input comes back with other strides in the size-1 dimensions: the same
  // memory order, so it takes the fused update, as its contiguous twin does.
  torch::manual_seed(4);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(64, 64, 1));
  use_channels_last(*conv);
  torch::Tensor twin = conv->weight.detach().clone().requires_grad_();
  auto fused = make_fused_adam({torch::optim::OptimizerParamGroup({conv->weight})},
                               torch::optim::AdamOptions(1e-2));
  auto reference =
      make_fused_adam({torch::optim::OptimizerParamGroup({twin})}, torch::optim::AdamOptions(1e-2));
  for (int step = 0; step < 5; ++step) {
    fused->zero_grad();
    const torch::Tensor maps =
        torch::randn({16, 64, 5, 5}).contiguous(torch::MemoryFormat::ChannelsLast);
    conv->forward(maps).pow(2).mean().backward();
    twin.mutable_grad() = conv->weight.grad().contiguous();
    ASSERT_TRUE(takes_fused_update(conv->weight)) << conv->weight.grad().strides();
    fused->step();
    reference->step();
  }
  EXPECT_TRUE(torch::equal(conv->weight, twin));
}

TEST(FusedAdam, TakesMomentsSavedInAnotherLayout) {
  // A checkpoint written while a convolution weight was contiguous loads into an optimizer whose
  // weight is channels-last: the moments are laid out like the weight, and the run goes on as the
  // contiguous one does.
  torch::manual_seed(9);
  torch::Tensor contiguous = torch::randn({6, 4, 3, 3}).requires_grad_();
  auto before = make_fused_adam({torch::optim::OptimizerParamGroup({contiguous})},
                                torch::optim::AdamOptions(1e-2));
  auto step = [](torch::Tensor& weight, torch::optim::Optimizer& optimizer,
                 const torch::Tensor& gradient) {
    weight.mutable_grad() = gradient.contiguous(weight.suggest_memory_format());
    optimizer.step();
  };
  for (int i = 0; i < 3; ++i) step(contiguous, *before, torch::randn({6, 4, 3, 3}));
  torch::serialize::OutputArchive saved;
  before->save(saved);
  std::ostringstream bytes;
  saved.save_to(bytes);

  torch::Tensor channels_last =
      contiguous.detach().contiguous(torch::MemoryFormat::ChannelsLast).requires_grad_();
  auto after = make_fused_adam({torch::optim::OptimizerParamGroup({channels_last})},
                               torch::optim::AdamOptions(1e-2));
  torch::serialize::InputArchive loaded;
  std::istringstream in(bytes.str());
  loaded.load_from(in);
  after->load(loaded);
  for (int i = 0; i < 3; ++i) {
    const torch::Tensor gradient = torch::randn({6, 4, 3, 3});
    step(contiguous, *before, gradient);
    step(channels_last, *after, gradient);
  }
  EXPECT_TRUE(torch::equal(contiguous, channels_last));
  EXPECT_TRUE(channels_last.is_contiguous(torch::MemoryFormat::ChannelsLast));
  for (const auto& entry : after->state()) {
    const auto& state = static_cast<const torch::optim::AdamParamState&>(*entry.second);
    EXPECT_EQ(state.exp_avg().strides(), channels_last.strides());
    EXPECT_EQ(state.exp_avg_sq().strides(), channels_last.strides());
  }
}

}  // namespace
}  // namespace aelab
