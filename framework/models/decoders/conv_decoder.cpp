// Convolutional decoder: fully connected layers from the code to a small feature map, then
// stages that double it (nearest-neighbour upsampling and a convolution, or a transposed
// convolution), a last convolution to the image's channels, cropped to the input's size.
#include <fmt/format.h>

#include <algorithm>

#include "framework/models/activation.h"
#include "framework/models/channels_last.h"
#include "framework/models/decoder.h"
#include "framework/models/one_channel_conv.h"

namespace aelab {

/// Options of the convolutional decoder.
struct ConvDecoderOptions {
  std::vector<int64_t> channels{64, 32};
  int64_t kernel = 3;
  std::string upsample = "nearest";
  bool batch_norm = true;
  std::string activation = "relu";
  std::string output = "sigmoid";
  std::vector<int64_t> hidden{256};
  bool skips = false;
  template <class V>
  void visit(V& v) {
    v("channels", channels, "channels of each stage, code side first", SomeAtLeast{1});
    v("kernel", kernel, "odd kernel size of the convolutions", OddAtLeast{1});
    v("upsample", upsample, "double each stage by nearest upsampling + conv, or transposed conv",
      OneOf{{"nearest", "transposed"}});
    v("batch_norm", batch_norm, "batch normalization after each stage's convolution");
    v("activation", activation, "activation after each stage", activation_choice());
    v("output", output, "activation of the output layer", activation_choice());
    v("hidden", hidden, "widths of the fully connected layers between the code and the stages",
      AtLeast{1});
    v("skips", skips,
      "autoencoders: also take the encoder's stage maps through skip connections (U-Net style; "
      "image-to-image tasks such as colourization); the segmenter uses model.skips");
  }
};

/// [Linear -> activation]* -> Linear -> reshape -> [up x2 -> conv -> BN? -> activation]* -> conv ->
/// output -> crop.
class ConvDecoder : public DecoderImpl {
 public:
  ConvDecoder(ConvDecoderOptions options, const BuildContext& context)
      : options_(std::move(options)), output_shape_(context.input_shape) {
    if (output_shape_.size() != 3)
      throw ConfigError(
          "decoder.name: the conv decoder makes images [C, H, W], and these samples "
          "have " +
          std::to_string(output_shape_.size()) + " dimension(s) (use decoder=mlp)");
    int64_t stages = static_cast<int64_t>(options_.channels.size());
    const int64_t side = std::max(output_shape_.at(1), output_shape_.at(2));
    // From a 1x1 map, stages - 1 doublings reach the images already: the last stage would only
    // make pixels that the crop throws away.
    if (stages > 1 && (int64_t{1} << (stages - 1)) >= side)
      throw ConfigError(fmt::format(
          "decoder.channels: {} stages are more than {}x{} images need: from a 1x1 map, {} "
          "stage(s) reach {}x{} already (use at most {} entries in decoder.channels)",
          stages, output_shape_.at(1), output_shape_.at(2), stages - 1, int64_t{1} << (stages - 1),
          int64_t{1} << (stages - 1), stages - 1));
    if (options_.kernel > std::min(output_shape_.at(1), output_shape_.at(2)))
      throw ConfigError(fmt::format(
          "decoder.kernel: {} is wider than the {}x{} images it makes (use an odd kernel of at "
          "most {}, such as 3 or 5)",
          options_.kernel, output_shape_.at(1), output_shape_.at(2),
          (std::min(output_shape_.at(1), output_shape_.at(2)) - 1) | 1));
    int64_t scale = int64_t{1} << stages;
    start_height_ = (output_shape_.at(1) + scale - 1) / scale;
    start_width_ = (output_shape_.at(2) + scale - 1) / scale;
    int64_t width = context.latent_dim;
    for (size_t i = 0; i < options_.hidden.size(); ++i) {
      hidden_.push_back(register_module("hidden" + std::to_string(i),
                                        torch::nn::Linear(width, options_.hidden[i])));
      width = options_.hidden[i];
    }
    from_code_ = register_module(
        "from_code", torch::nn::Linear(width, options_.channels[0] * start_height_ * start_width_));
    bool transposed = options_.upsample == "transposed";
    for (int64_t i = 0; i < stages; ++i) {
      int64_t in = options_.channels[i];
      int64_t out = i + 1 < stages ? options_.channels[i + 1] : options_.channels[i];
      std::string name = "stage" + std::to_string(i);
      if (transposed) {
        ups_.push_back(register_module(
            name,
            torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(in, out, /*kernel_size=*/4)
                                           .stride(2)
                                           .padding(1))));
      } else {
        convs_.push_back(register_module(
            name,
            torch::nn::Conv2d(
                torch::nn::Conv2dOptions(in, out, options_.kernel).padding(options_.kernel / 2))));
      }
      if (options_.batch_norm)
        norms_.push_back(register_module("norm" + std::to_string(i), torch::nn::BatchNorm2d(out)));
    }
    if (!context.skip_channels.empty()) add_skip_projections(context.skip_channels);
    to_output_ = register_module(
        "to_output",
        torch::nn::Conv2d(
            torch::nn::Conv2dOptions(options_.channels.back(), output_shape_.at(0), options_.kernel)
                .padding(options_.kernel / 2)));
    use_channels_last(*this);
  }

  torch::Tensor forward(const torch::Tensor& code) override { return decode(code, nullptr); }

  torch::Tensor forward_with_skips(const torch::Tensor& code,
                                   const std::vector<torch::Tensor>& skips) override {
    if (skip_projections_.empty() || skips.size() != skip_projections_.size())
      throw ConfigError("decoder: built for " + std::to_string(skip_projections_.size()) +
                        " skip connection(s), given " + std::to_string(skips.size()));
    return decode(code, &skips);
  }

 private:
  /// A 1x1 convolution per stage from the encoder map of the same resolution (the last encoder
  /// stage meets the first decoder stage) to the stage's channels; its output is added.
  void add_skip_projections(const std::vector<int64_t>& skip_channels) {
    const size_t stages = options_.channels.size();
    if (skip_channels.size() != stages)
      throw ConfigError(
          "decoder.channels: skip connections need as many decoder stages as "
          "encoder stages (" +
          std::to_string(skip_channels.size()) + "), not " + std::to_string(stages));
    for (size_t i = 0; i < stages; ++i) {
      int64_t out = i + 1 < stages ? options_.channels[i + 1] : options_.channels[i];
      skip_projections_.push_back(register_module(
          "skip" + std::to_string(i), torch::nn::Conv2d(torch::nn::Conv2dOptions(
                                          skip_channels[stages - 1 - i], out, /*kernel_size=*/1))));
    }
  }

  /// `map` cropped or zero-padded to height x width.
  static torch::Tensor fit(const torch::Tensor& map, int64_t height, int64_t width) {
    torch::Tensor x = map.slice(2, 0, height).slice(3, 0, width);
    if (x.size(2) == height && x.size(3) == width) return x;
    return torch::constant_pad_nd(x, {0, width - x.size(3), 0, height - x.size(2)});
  }

  torch::Tensor decode(const torch::Tensor& code, const std::vector<torch::Tensor>* skips) {
    torch::Tensor x = code;
    for (auto& layer : hidden_) x = activate(layer->forward(x), options_.activation);
    x = activate(from_code_->forward(x), options_.activation)
            .view({code.size(0), options_.channels[0], start_height_, start_width_});
    for (size_t i = 0; i < options_.channels.size(); ++i) {
      if (options_.upsample == "transposed") {
        x = ups_[i]->forward(x);
      } else {
        x = torch::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2});
        x = same_size_conv(convs_[i], x);
      }
      if (options_.batch_norm) x = norms_[i]->forward(x);
      x = activate(x, options_.activation);
      if (skips) {
        const torch::Tensor& skip = (*skips)[skips->size() - 1 - i];
        x = x + skip_projections_[i]->forward(fit(skip, x.size(2), x.size(3)));
      }
    }
    x = activate(same_size_conv(to_output_, x), options_.output);
    return x.slice(2, 0, output_shape_.at(1)).slice(3, 0, output_shape_.at(2));
  }

  ConvDecoderOptions options_;
  std::vector<int64_t> output_shape_;
  int64_t start_height_ = 1, start_width_ = 1;
  std::vector<torch::nn::Linear> hidden_;
  torch::nn::Linear from_code_{nullptr};
  std::vector<torch::nn::Conv2d> convs_;
  std::vector<torch::nn::ConvTranspose2d> ups_;
  std::vector<torch::nn::BatchNorm2d> norms_;
  std::vector<torch::nn::Conv2d> skip_projections_;
  torch::nn::Conv2d to_output_{nullptr};
};

AELAB_REGISTER_PLUGIN(decoder_registry(), "conv", ConvDecoder, ConvDecoderOptions)
    .describe(
        "fully connected layers to a feature map, stages doubling it (nearest+conv or "
        "transposed), crop");

}  // namespace aelab
