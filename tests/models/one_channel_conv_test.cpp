// The one-channel convolution loops compute what LibTorch's convolution computes, forward and
// back, to float rounding, and the same bits whatever the number of threads.
#include "framework/models/one_channel_conv.h"

#include <gtest/gtest.h>

#include "framework/models/channels_last.h"
#include "framework/train/autocast.h"

namespace aelab {
namespace {

struct ConvCase {
  int64_t in, out, kernel, height, width;
  bool bias, input_grad;
};

struct Computed {
  torch::Tensor y, grad_x, grad_weight, grad_bias;
};

/// The convolution of `conv` on `x` and its gradients for the output gradient `grad_y`, by
/// same_size_conv or by the module itself.
Computed convolve(torch::nn::Conv2d& conv, const torch::Tensor& input, const torch::Tensor& grad_y,
                  bool loops) {
  torch::Tensor x = input.detach().clone().requires_grad_(input.requires_grad());
  conv->zero_grad();
  torch::Tensor y = loops ? same_size_conv(conv, x) : conv->forward(x);
  y.backward(grad_y);
  Computed out{y.detach(), x.requires_grad() ? x.grad().clone() : torch::Tensor(),
               conv->weight.grad().clone(), torch::Tensor()};
  if (conv->bias.defined()) out.grad_bias = conv->bias.grad().clone();
  return out;
}

void expect_close(const torch::Tensor& mine, const torch::Tensor& theirs, const std::string& what) {
  ASSERT_EQ(mine.defined(), theirs.defined()) << what;
  if (!mine.defined()) return;
  ASSERT_EQ(mine.sizes(), theirs.sizes()) << what;
  const double scale = theirs.abs().max().item<double>() + 1e-6;
  EXPECT_LT((mine - theirs).abs().max().item<double>() / scale, 1e-5) << what;
}

TEST(OneChannelConv, ComputesWhatTheModuleComputesForwardAndBack) {
  const std::vector<ConvCase> cases{
      {32, 1, 3, 28, 28, true, true}, {1, 32, 3, 28, 28, true, false},
      {5, 1, 5, 7, 9, false, true},   {1, 6, 1, 4, 3, true, true},
      {1, 3, 5, 6, 5, false, true},   {16, 1, 1, 5, 5, true, false},
  };
  for (size_t index = 0; index < cases.size(); ++index) {
    const ConvCase& c = cases[index];
    const std::string name = std::to_string(c.in) + "->" + std::to_string(c.out) + " k" +
                             std::to_string(c.kernel) + " " + std::to_string(c.height) + "x" +
                             std::to_string(c.width) + (c.bias ? "" : " no bias") +
                             (c.input_grad ? " input grad" : "") +
                             (index % 2 == 0 ? " channels-last" : "");
    torch::manual_seed(7);
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(c.in, c.out, /*kernel_size=*/c.kernel)
                               .padding(c.kernel / 2)
                               .bias(c.bias));
    // Half the cases in the default layout, as a module the project did not lay out would be.
    const bool channels_last = index % 2 == 0;
    if (channels_last) use_channels_last(*conv);
    torch::Tensor x = torch::rand({3, c.in, c.height, c.width})
                          .contiguous(channels_last ? torch::MemoryFormat::ChannelsLast
                                                    : torch::MemoryFormat::Contiguous)
                          .requires_grad_(c.input_grad);
    torch::Tensor grad_y = torch::randn({3, c.out, c.height, c.width});
    ASSERT_TRUE(takes_one_channel_loops(conv, x)) << name;
    const Computed mine = convolve(conv, x, grad_y, true),
                   theirs = convolve(conv, x, grad_y, false);
    expect_close(mine.y, theirs.y, name + ": output");
    expect_close(mine.grad_x, theirs.grad_x, name + ": input gradient");
    expect_close(mine.grad_weight, theirs.grad_weight, name + ": weight gradient");
    expect_close(mine.grad_bias, theirs.grad_bias, name + ": bias gradient");
    EXPECT_TRUE(mine.grad_weight.is_contiguous(conv->weight.suggest_memory_format())) << name;
  }
}

TEST(OneChannelConv, SameBitsWhateverTheThreads) {
  // Batches of 28x28 images, more elements than a LibTorch sum takes in one pass.
  for (const auto& [in, out] : {std::pair<int64_t, int64_t>{8, 1}, {1, 8}}) {
    torch::manual_seed(3);
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(in, out, /*kernel_size=*/3).padding(1));
    torch::Tensor x = torch::rand({64, in, 28, 28}).requires_grad_();
    torch::Tensor grad_y = torch::randn({64, out, 28, 28});
    const int threads = torch::get_num_threads();
    torch::set_num_threads(1);
    const Computed one = convolve(conv, x, grad_y, true);
    torch::set_num_threads(2);
    const Computed two = convolve(conv, x, grad_y, true);
    torch::set_num_threads(threads);
    const std::string name = std::to_string(in) + "->" + std::to_string(out);
    EXPECT_TRUE(torch::equal(one.y, two.y)) << name;
    EXPECT_TRUE(torch::equal(one.grad_x, two.grad_x)) << name;
    EXPECT_TRUE(torch::equal(one.grad_weight, two.grad_weight)) << name;
    EXPECT_TRUE(torch::equal(one.grad_bias, two.grad_bias)) << name;
  }
}

TEST(OneChannelConv, AnEmptyBatchHasZeroGradients) {
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(4, 1, /*kernel_size=*/3).padding(1));
  const Computed empty =
      convolve(conv, torch::rand({0, 4, 6, 6}).requires_grad_(), torch::rand({0, 1, 6, 6}), true);
  EXPECT_EQ(empty.y.size(0), 0);
  EXPECT_EQ(empty.grad_weight.abs().sum().item<float>(), 0.0f);
}

TEST(OneChannelConv, LeavesOtherConvolutionsToTheModule) {
  using torch::nn::Conv2dOptions;
  torch::nn::Conv2d to_one(Conv2dOptions(32, 1, /*kernel_size=*/3).padding(1));
  const torch::Tensor x = torch::rand({2, 32, 8, 8});
  EXPECT_TRUE(takes_one_channel_loops(to_one, x));
  torch::nn::Conv2d wide(Conv2dOptions(32, 8, /*kernel_size=*/3).padding(1));
  EXPECT_FALSE(takes_one_channel_loops(wide, x));
  torch::nn::Conv2d strided(Conv2dOptions(1, 32, /*kernel_size=*/3).padding(1).stride(2));
  EXPECT_FALSE(takes_one_channel_loops(strided, torch::rand({2, 1, 8, 8})));
  torch::nn::Conv2d unpadded(Conv2dOptions(32, 1, /*kernel_size=*/3));
  EXPECT_FALSE(takes_one_channel_loops(unpadded, x));
  torch::nn::Conv2d reflected(
      Conv2dOptions(32, 1, /*kernel_size=*/3).padding(1).padding_mode(torch::kReflect));
  EXPECT_FALSE(takes_one_channel_loops(reflected, x));
  EXPECT_FALSE(takes_one_channel_loops(to_one, x.to(torch::kFloat64)));
  EXPECT_FALSE(takes_one_channel_loops(to_one, torch::rand({2, 16, 8, 8})));
  {
    AutocastScope bf16("bf16", torch::kCPU);
    EXPECT_FALSE(takes_one_channel_loops(to_one, x));
  }
  EXPECT_TRUE(takes_one_channel_loops(to_one, x));
}

}  // namespace
}  // namespace aelab
