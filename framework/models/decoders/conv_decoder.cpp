// Convolutional decoder: fully connected layers from the code to a small feature map, then
// stages that double it (nearest-neighbour upsampling and a convolution, or a transposed
// convolution), a last convolution to the image's channels, cropped to the input's size.
#include "framework/models/activation.h"
#include "framework/models/decoder.h"

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
  template <class V>
  void visit(V& v) {
    v("channels", channels, "channels of each stage, code side first", AtLeast{1});
    v("kernel", kernel, "odd kernel size of the convolutions", OddAtLeast{1});
    v("upsample", upsample, "double each stage by nearest upsampling + conv, or transposed conv",
      OneOf{{"nearest", "transposed"}});
    v("batch_norm", batch_norm, "batch normalization after each stage's convolution");
    v("activation", activation, "activation after each stage", activation_choice());
    v("output", output, "activation of the output layer", activation_choice());
    v("hidden", hidden, "widths of the fully connected layers between the code and the stages",
      AtLeast{1});
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
    to_output_ = register_module(
        "to_output",
        torch::nn::Conv2d(
            torch::nn::Conv2dOptions(options_.channels.back(), output_shape_.at(0), options_.kernel)
                .padding(options_.kernel / 2)));
  }

  torch::Tensor forward(const torch::Tensor& code) override {
    torch::Tensor x = code;
    for (auto& layer : hidden_) x = activate(layer->forward(x), options_.activation);
    x = activate(from_code_->forward(x), options_.activation)
            .view({code.size(0), options_.channels[0], start_height_, start_width_});
    for (size_t i = 0; i < options_.channels.size(); ++i) {
      if (options_.upsample == "transposed") {
        x = ups_[i]->forward(x);
      } else {
        x = torch::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2});
        x = convs_[i]->forward(x);
      }
      if (options_.batch_norm) x = norms_[i]->forward(x);
      x = activate(x, options_.activation);
    }
    x = activate(to_output_->forward(x), options_.output);
    return x.slice(2, 0, output_shape_.at(1)).slice(3, 0, output_shape_.at(2));
  }

 private:
  ConvDecoderOptions options_;
  std::vector<int64_t> output_shape_;
  int64_t start_height_ = 1, start_width_ = 1;
  std::vector<torch::nn::Linear> hidden_;
  torch::nn::Linear from_code_{nullptr};
  std::vector<torch::nn::Conv2d> convs_;
  std::vector<torch::nn::ConvTranspose2d> ups_;
  std::vector<torch::nn::BatchNorm2d> norms_;
  torch::nn::Conv2d to_output_{nullptr};
};

AELAB_REGISTER_PLUGIN(decoder_registry(), "conv", ConvDecoder, ConvDecoderOptions)
    .describe("linear map to a feature map, stages doubling it (nearest+conv or transposed), crop");

}  // namespace aelab
