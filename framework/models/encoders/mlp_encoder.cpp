// Fully connected encoder: flatten, hidden layers with an activation, linear map to the code
// (the deep autoencoder of Hinton and Salakhutdinov 2006, trained end to end).
#include "framework/models/activation.h"
#include "framework/models/encoder.h"

namespace aelab {

/// Options of the MLP encoder.
struct MlpEncoderOptions {
  std::vector<int64_t> hidden{512, 256};
  std::string activation = "relu";
  template <class V>
  void visit(V& v) {
    v("hidden", hidden, "hidden layer widths, input side first", AtLeast{1});
    v("activation", activation, "activation after each hidden layer", activation_choice());
  }
};

/// Flatten -> [Linear -> activation]* -> Linear(latent_dim).
class MlpEncoder : public EncoderImpl {
 public:
  MlpEncoder(MlpEncoderOptions options, const BuildContext& context)
      : options_(std::move(options)) {
    int64_t width = context.input_size();
    for (size_t i = 0; i < options_.hidden.size(); ++i) {
      layers_.push_back(register_module("hidden" + std::to_string(i),
                                        torch::nn::Linear(width, options_.hidden[i])));
      width = options_.hidden[i];
    }
    layers_.push_back(register_module("to_code", torch::nn::Linear(width, context.latent_dim)));
  }

  torch::Tensor forward(const torch::Tensor& input) override {
    torch::Tensor x = input.flatten(1);
    for (size_t i = 0; i + 1 < layers_.size(); ++i)
      x = activate(layers_[i]->forward(x), options_.activation);
    return layers_.back()->forward(x);
  }

  DenseChain dense_chain() override {
    DenseChain chain;
    for (size_t i = 0; i < layers_.size(); ++i)
      chain.push_back({layers_[i], i + 1 < layers_.size() ? options_.activation : "identity"});
    return chain;
  }

 private:
  MlpEncoderOptions options_;
  std::vector<torch::nn::Linear> layers_;
};

AELAB_REGISTER_PLUGIN(encoder_registry(), "mlp", MlpEncoder, MlpEncoderOptions)
    .describe("fully connected layers with an activation, then a linear map to the code");

}  // namespace aelab
