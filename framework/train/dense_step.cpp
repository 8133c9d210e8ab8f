// The hand-written step of a dense autoencoder. Each formula is the one LibTorch's autograd
// uses for the same operation, called through the same ATen kernels, so the gradients (and so
// whole training runs) are bit for bit those of autograd on the same machine; tests check it.
#include "framework/train/dense_step.h"

#include <map>
#include <typeinfo>

#include "framework/models/autoencoder.h"

namespace aelab {
namespace {

/// `buffer` with shape `sizes`, reallocated only when its shape differs (an output resized by an
/// _out kernel would warn), on `like`'s device and dtype.
torch::Tensor& shaped(torch::Tensor& buffer, at::IntArrayRef sizes, const torch::Tensor& like) {
  if (!buffer.defined() || !buffer.sizes().equals(sizes))
    buffer = torch::empty(sizes, like.options());
  return buffer;
}

}  // namespace

std::unique_ptr<DenseStep> DenseStep::for_model(ModelImpl& model, const Objective& objective,
                                                const std::string& precision, std::string* why) {
  auto refuse = [&](const std::string& reason) {
    if (why) *why = reason;
    return std::unique_ptr<DenseStep>();
  };
  // Exactly the autoencoder: a subclass may add terms or outputs the step would not see.
  if (typeid(model) != typeid(AutoencoderImpl)) return refuse("the model is not model.name=ae");
  auto& autoencoder = static_cast<AutoencoderImpl&>(model);
  ReconstructionGradient loss = objective.reconstruction_gradient();
  if (!loss) return refuse("the objective is not a reconstruction loss");
  if (precision != "fp32") return refuse("trainer.precision is " + precision);
  const DenseChain chain = autoencoder.dense_chain();
  if (chain.empty())
    return refuse(
        "the encoder and decoder are not a chain of dense layers (mlp or linear, no skips)");

  // The activations whose gradient autograd takes from their output alone.
  static const std::map<std::string, Activation> kActivations = {
      {"identity", Activation::kIdentity},
      {"relu", Activation::kRelu},
      {"sigmoid", Activation::kSigmoid},
      {"tanh", Activation::kTanh}};
  std::vector<Layer> layers;
  for (const DenseLayer& dense : chain) {
    auto found = kActivations.find(dense.activation);
    if (found == kActivations.end())
      return refuse("activation " + dense.activation + " has no hand-written gradient");
    const torch::Tensor& weight = dense.linear->weight;
    if (!weight.device().is_cpu() || weight.scalar_type() != torch::kFloat)
      return refuse("the parameters are not float32 on the CPU");
    Layer layer;
    layer.linear = dense.linear;
    layer.activation = found->second;
    layers.push_back(std::move(layer));
  }
  return std::unique_ptr<DenseStep>(new DenseStep(std::move(layers), std::move(loss)));
}

void DenseStep::forward(Layer& layer, const torch::Tensor& x) {
  const torch::Tensor& weight = layer.linear->weight;
  const torch::Tensor& bias = layer.linear->bias;
  torch::Tensor& y = shaped(layer.output, {x.size(0), weight.size(0)}, weight);
  // torch::nn::Linear on a matrix: addmm with the transposed weight, or mm without a bias.
  if (bias.defined())
    at::addmm_out(y, bias, x, weight.t());
  else
    at::mm_out(y, x, weight.t());
  switch (layer.activation) {
    case Activation::kRelu:
      at::relu_(y);
      break;
    case Activation::kSigmoid:
      at::sigmoid_out(y, y);
      break;
    case Activation::kTanh:
      at::tanh_out(y, y);
      break;
    case Activation::kIdentity:
      break;
  }
}

void DenseStep::activation_backward(const Layer& layer, torch::Tensor& grad) {
  switch (layer.activation) {
    case Activation::kRelu:
      at::threshold_backward_out(grad, grad, layer.output, 0);
      break;
    case Activation::kSigmoid:
      at::sigmoid_backward_out(grad, grad, layer.output);
      break;
    case Activation::kTanh:
      at::tanh_backward_out(grad, grad, layer.output);
      break;
    case Activation::kIdentity:
      break;
  }
}

torch::Tensor DenseStep::run(const torch::Tensor& input, const torch::Tensor& target) {
  torch::NoGradGuard no_grad;
  const torch::Tensor flat_input = input.flatten(1);
  torch::Tensor x = flat_input;
  for (Layer& layer : layers_) {
    forward(layer, x);
    x = layer.output;
  }
  const torch::Tensor reconstruction = x.view(target.sizes());
  torch::Tensor loss =
      loss_(reconstruction, target, shaped(reconstruction_grad_, target.sizes(), x));
  torch::Tensor grad = reconstruction_grad_.view(x.sizes());

  // Backward, as autograd takes addmm(b, x, W^T) back: dW = g^T x (mm_mat2_backward for a
  // transposed operand), db = g summed over the batch (the broadcast bias reduced), dx = g W.
  for (size_t i = layers_.size(); i-- > 0;) {
    Layer& layer = layers_[i];
    activation_backward(layer, grad);
    const torch::Tensor& layer_input = i == 0 ? flat_input : layers_[i - 1].output;
    torch::Tensor& weight = layer.linear->weight;
    torch::Tensor& bias = layer.linear->bias;
    if (weight.requires_grad()) {
      at::mm_out(shaped(layer.weight_grad, weight.sizes(), weight), grad.t(), layer_input);
      weight.mutable_grad() = layer.weight_grad;
    }
    if (bias.defined() && bias.requires_grad()) {
      at::sum_out(shaped(layer.bias_grad, bias.sizes(), bias), grad, {0});
      bias.mutable_grad() = layer.bias_grad;
    }
    if (i > 0) {
      at::mm_out(shaped(layer.input_grad, layer_input.sizes(), grad), grad, weight);
      grad = layer.input_grad;
    }
  }
  return loss;
}

}  // namespace aelab
