// Linear decoder: one affine map from the code to the flattened input, reshaped (no activation,
// so a linear autoencoder can reach the PCA reconstruction exactly).
#include "framework/models/decoder.h"

namespace aelab {

/// Options of the linear decoder.
struct LinearDecoderOptions {
  bool bias = true;
  template <class V>
  void visit(V& v) {
    v("bias", bias, "learn an offset");
  }
};

/// Linear(input size) -> reshape.
class LinearDecoder : public DecoderImpl {
 public:
  LinearDecoder(LinearDecoderOptions options, const BuildContext& context)
      : output_shape_(context.input_shape),
        layer_(register_module(
            "to_output",
            torch::nn::Linear(torch::nn::LinearOptions(context.latent_dim, context.input_size())
                                  .bias(options.bias)))) {}

  torch::Tensor forward(const torch::Tensor& code) override {
    std::vector<int64_t> shape{code.size(0)};
    shape.insert(shape.end(), output_shape_.begin(), output_shape_.end());
    return layer_->forward(code).view(shape);
  }

  DenseChain dense_chain() override { return {{layer_, "identity"}}; }

 private:
  std::vector<int64_t> output_shape_;
  torch::nn::Linear layer_;
};

AELAB_REGISTER_PLUGIN(decoder_registry(), "linear", LinearDecoder, LinearDecoderOptions)
    .describe("one affine map back to the input, no activation");

}  // namespace aelab
