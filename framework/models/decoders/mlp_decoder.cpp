// Fully connected decoder: hidden layers with an activation, then a map to the input size with
// an output activation (sigmoid for pixels in [0, 1]), reshaped to the input's shape.
#include "framework/models/activation.h"
#include "framework/models/decoder.h"

namespace aelab {

/// Options of the MLP decoder.
struct MlpDecoderOptions {
  std::vector<int64_t> hidden{256, 512};
  std::string activation = "relu";
  std::string output = "sigmoid";
  template <class V>
  void visit(V& v) {
    v("hidden", hidden, "hidden layer widths, code side first", AtLeast{1});
    v("activation", activation, "activation after each hidden layer", activation_choice());
    v("output", output, "activation of the output layer", activation_choice());
  }
};

/// Linear(latent_dim) -> [activation -> Linear]* -> output activation -> reshape.
class MlpDecoder : public DecoderImpl {
 public:
  MlpDecoder(MlpDecoderOptions options, const BuildContext& context)
      : options_(std::move(options)), output_shape_(context.input_shape) {
    int64_t width = context.latent_dim;
    for (size_t i = 0; i < options_.hidden.size(); ++i) {
      layers_.push_back(register_module("hidden" + std::to_string(i),
                                        torch::nn::Linear(width, options_.hidden[i])));
      width = options_.hidden[i];
    }
    layers_.push_back(register_module("to_output", torch::nn::Linear(width, context.input_size())));
  }

  torch::Tensor forward(const torch::Tensor& code) override {
    torch::Tensor x = code;
    for (size_t i = 0; i + 1 < layers_.size(); ++i)
      x = activate(layers_[i]->forward(x), options_.activation);
    x = activate(layers_.back()->forward(x), options_.output);
    std::vector<int64_t> shape{x.size(0)};
    shape.insert(shape.end(), output_shape_.begin(), output_shape_.end());
    return x.view(shape);
  }

  DenseChain dense_chain() override {
    DenseChain chain;
    for (size_t i = 0; i < layers_.size(); ++i)
      chain.push_back({layers_[i], i + 1 < layers_.size() ? options_.activation : options_.output});
    return chain;
  }

 private:
  MlpDecoderOptions options_;
  std::vector<int64_t> output_shape_;
  std::vector<torch::nn::Linear> layers_;
};

AELAB_REGISTER_PLUGIN(decoder_registry(), "mlp", MlpDecoder, MlpDecoderOptions)
    .describe("fully connected layers with an activation, output activation, reshaped");

}  // namespace aelab
