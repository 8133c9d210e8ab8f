// Linear encoder: one affine map from the flattened input to the code (no activation), the
// encoder of a linear autoencoder, whose optimum spans the PCA subspace (Baldi and Hornik 1989).
#include "framework/models/encoder.h"

namespace aelab {

/// Options of the linear encoder.
struct LinearEncoderOptions {
  bool bias = true;
  template <class V>
  void visit(V& v) {
    v("bias", bias, "learn an offset");
  }
};

/// Flatten -> Linear(latent_dim).
class LinearEncoder : public EncoderImpl {
 public:
  LinearEncoder(LinearEncoderOptions options, const BuildContext& context)
      : layer_(register_module(
            "to_code",
            torch::nn::Linear(torch::nn::LinearOptions(context.input_size(), context.latent_dim)
                                  .bias(options.bias)))) {}

  torch::Tensor forward(const torch::Tensor& input) override {
    return layer_->forward(input.flatten(1));
  }

  DenseChain dense_chain() override { return {{layer_, "identity"}}; }

 private:
  torch::nn::Linear layer_;
};

AELAB_REGISTER_PLUGIN(encoder_registry(), "linear", LinearEncoder, LinearEncoderOptions)
    .describe("one affine map to the code, no activation");

}  // namespace aelab
