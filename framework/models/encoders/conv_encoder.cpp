// Convolutional encoder: stages of convolution (optional batch norm) and activation, each
// halving the image by max pooling or a strided convolution, then fully connected layers to the
// code (the convolutional autoencoder of Masci, Meier, Ciresan and Schmidhuber 2011).
#include <fmt/format.h>

#include <algorithm>

#include "framework/models/activation.h"
#include "framework/models/channels_last.h"
#include "framework/models/encoder.h"
#include "framework/models/one_channel_conv.h"

namespace aelab {

/// Options of the convolutional encoder.
struct ConvEncoderOptions {
  std::vector<int64_t> channels{32, 64};
  int64_t kernel = 3;
  std::string downsample = "pool";
  bool batch_norm = true;
  std::string activation = "relu";
  std::vector<int64_t> hidden{256};
  template <class V>
  void visit(V& v) {
    v("channels", channels, "output channels of each stage, input side first", SomeAtLeast{1});
    v("kernel", kernel, "odd kernel size of the convolutions", OddAtLeast{1});
    v("downsample", downsample, "halve each stage by max pooling or a stride-2 convolution",
      OneOf{{"pool", "stride"}});
    v("batch_norm", batch_norm, "batch normalization after each convolution");
    v("activation", activation, "activation after each stage", activation_choice());
    v("hidden", hidden, "widths of the fully connected layers between the stages and the code",
      AtLeast{1});
  }
};

/// [Conv -> BN? -> activation -> pool?]* -> flatten -> [Linear -> activation]* -> Linear.
class ConvEncoder : public EncoderImpl {
 public:
  ConvEncoder(ConvEncoderOptions options, const BuildContext& context)
      : options_(std::move(options)) {
    check_depth(context.input_shape);
    int64_t in_channels = input_channels_ = context.input_shape.at(0);
    bool strided = options_.downsample == "stride";
    for (size_t i = 0; i < options_.channels.size(); ++i) {
      int64_t out = options_.channels[i];
      convs_.push_back(register_module(
          "conv" + std::to_string(i),
          torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, out, options_.kernel)
                                .stride(strided ? 2 : 1)
                                .padding(options_.kernel / 2))));
      if (options_.batch_norm)
        norms_.push_back(register_module("norm" + std::to_string(i), torch::nn::BatchNorm2d(out)));
      in_channels = out;
    }
    torch::NoGradGuard no_grad;
    std::vector<int64_t> probe_shape{1};
    probe_shape.insert(probe_shape.end(), context.input_shape.begin(), context.input_shape.end());
    eval();  // batch norm in training mode rejects a batch of one
    int64_t features = features_of(torch::zeros(probe_shape), nullptr).size(1);
    train();
    for (size_t i = 0; i < options_.hidden.size(); ++i) {
      hidden_.push_back(register_module("hidden" + std::to_string(i),
                                        torch::nn::Linear(features, options_.hidden[i])));
      features = options_.hidden[i];
    }
    to_code_ = register_module("to_code", torch::nn::Linear(features, context.latent_dim));
    use_channels_last(*this);
  }

  torch::Tensor forward(const torch::Tensor& input) override {
    return to_code(features_of(input, nullptr));
  }

  torch::Tensor forward_with_stages(const torch::Tensor& input,
                                    std::vector<torch::Tensor>& stages) override {
    return to_code(features_of(input, &stages));
  }

  std::vector<int64_t> stage_channels() const override {
    if (options_.downsample == "pool") return options_.channels;
    std::vector<int64_t> channels{input_channels_};  // a strided stage's map is its input
    channels.insert(channels.end(), options_.channels.begin(), options_.channels.end() - 1);
    return channels;
  }

 private:
  torch::Tensor to_code(torch::Tensor x) {
    for (auto& layer : hidden_) x = activate(layer->forward(x), options_.activation);
    return to_code_->forward(x);
  }

  /// ConfigError unless every stage still has at least one pixel to halve.
  void check_depth(const std::vector<int64_t>& input_shape) const {
    if (input_shape.size() != 3)
      throw ConfigError(
          "encoder.name: the conv encoder needs images [C, H, W], and these samples "
          "have " +
          std::to_string(input_shape.size()) + " dimension(s) (use encoder=mlp, or model=mlp_ae)");
    int64_t height = input_shape[1], width = input_shape[2];
    if (options_.kernel > std::min(height, width))
      throw ConfigError(fmt::format(
          "encoder.kernel: {} is wider than the {}x{} images, so the first convolution would "
          "see mostly padding (use an odd kernel of at most {}, such as 3 or 5)",
          options_.kernel, height, width, (std::min(height, width) - 1) | 1));
    const int64_t pad = options_.kernel / 2;
    for (size_t i = 0; i < options_.channels.size(); ++i) {
      auto halve = [&](int64_t size) {
        return options_.downsample == "pool" ? size / 2
                                             : (size + 2 * pad - options_.kernel) / 2 + 1;
      };
      height = halve(height);
      width = halve(width);
      if (height < 1 || width < 1)
        throw ConfigError("encoder.channels: " + std::to_string(options_.channels.size()) +
                          " stages are too many for " + std::to_string(input_shape[1]) + "x" +
                          std::to_string(input_shape[2]) + " images: stage " +
                          std::to_string(i + 1) + " has nothing left to halve (use at most " +
                          std::to_string(i) + " entries in encoder.channels)");
    }
  }

  /// The flattened output of the stages; each stage's full-resolution map goes to `stages`
  /// when given: after its activation (pool), or its input (stride).
  torch::Tensor features_of(torch::Tensor x, std::vector<torch::Tensor>* stages) {
    const bool pool = options_.downsample == "pool";
    for (size_t i = 0; i < convs_.size(); ++i) {
      if (stages && !pool) stages->push_back(x);
      x = pool ? same_size_conv(convs_[i], x) : convs_[i]->forward(x);
      if (options_.batch_norm) x = norms_[i]->forward(x);
      x = activate(x, options_.activation);
      if (stages && pool) stages->push_back(x);
      if (pool) x = torch::max_pool2d(x, /*kernel_size=*/2);
    }
    return x.flatten(1);
  }

  ConvEncoderOptions options_;
  int64_t input_channels_ = 1;
  std::vector<torch::nn::Conv2d> convs_;
  std::vector<torch::nn::BatchNorm2d> norms_;
  std::vector<torch::nn::Linear> hidden_;
  torch::nn::Linear to_code_{nullptr};
};

AELAB_REGISTER_PLUGIN(encoder_registry(), "conv", ConvEncoder, ConvEncoderOptions)
    .describe(
        "convolution stages halving the image (pool or stride), then dense layers to the code");

}  // namespace aelab
