// The conv encoder and decoder keep their convolution weights channels-last (the layout oneDNN's
// CPU kernels run fastest on) and compute what the default layout computes, to float rounding.
#include "framework/models/channels_last.h"

#include <gtest/gtest.h>

#include "framework/models/decoder.h"
#include "framework/models/encoder.h"

namespace aelab {
namespace {

BuildContext mnist_like() {
  BuildContext context;
  context.input_shape = {1, 28, 28};
  context.latent_dim = 8;
  context.config = ConfigNode::map();
  return context;
}

/// Every 4-D parameter of `module` is channels-last, and there is at least one.
void expect_channels_last(torch::nn::Module& module, const std::string& name) {
  int convolutions = 0;
  for (const auto& parameter : module.named_parameters())
    if (parameter.value().dim() == 4) {
      ++convolutions;
      EXPECT_TRUE(parameter.value().is_contiguous(torch::MemoryFormat::ChannelsLast))
          << name << ": " << parameter.key();
    }
  EXPECT_GT(convolutions, 0) << name;
}

/// `module`'s 4-D parameters laid out contiguously again (the same values).
void use_default_layout(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (torch::Tensor& parameter : module.parameters())
    if (parameter.dim() == 4) parameter.set_data(parameter.contiguous());
}

TEST(ChannelsLast, ConvPartsUseItAndComputeWhatTheDefaultLayoutComputes) {
  for (const std::string& upsample : {"nearest", "transposed"}) {
    torch::manual_seed(4);
    ConfigNode encoder_section = encoder_registry().at("conv").info.defaults();
    ConfigNode decoder_section = decoder_registry().at("conv").info.defaults();
    decoder_section.set("upsample", ConfigNode::string(upsample));
    auto encoder = encoder_registry().at("conv").make(encoder_section, mnist_like());
    auto decoder = decoder_registry().at("conv").make(decoder_section, mnist_like());
    expect_channels_last(*encoder, "encoder");
    expect_channels_last(*decoder, upsample);

    const torch::Tensor images = torch::rand({16, 1, 28, 28});
    const torch::Tensor fast = decoder->forward(encoder->forward(images));
    EXPECT_EQ(fast.sizes(), images.sizes());
    use_default_layout(*encoder);
    use_default_layout(*decoder);
    const torch::Tensor reference = decoder->forward(encoder->forward(images));
    EXPECT_TRUE(torch::allclose(fast, reference, 1e-4, 1e-5)) << upsample;
  }
}

TEST(ChannelsLast, KeepsValuesAndLeavesOtherParametersAlone) {
  torch::nn::Sequential net(torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 4, 3)),
                            torch::nn::Linear(4, 2));
  const std::vector<torch::Tensor> before = [&] {
    std::vector<torch::Tensor> copies;
    for (const auto& parameter : net->parameters()) copies.push_back(parameter.clone());
    return copies;
  }();
  use_channels_last(*net);
  const std::vector<torch::Tensor> after = net->parameters();
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_TRUE(torch::equal(after[i], before[i])) << i;
    EXPECT_EQ(after[i].is_contiguous(), after[i].dim() != 4) << i;
  }
}

}  // namespace
}  // namespace aelab
