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
/// _out kernel would warn), on `like`'s device, in `like`'s dtype or `dtype`.
torch::Tensor& shaped(torch::Tensor& buffer, at::IntArrayRef sizes, const torch::Tensor& like,
                      c10::optional<at::ScalarType> dtype = c10::nullopt) {
  const at::ScalarType type = dtype.value_or(like.scalar_type());
  if (!buffer.defined() || !buffer.sizes().equals(sizes) || buffer.scalar_type() != type)
    buffer = torch::empty(sizes, like.options().dtype(type));
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
  if (precision != "fp32" && precision != "bf16")
    return refuse("trainer.precision is " + precision);
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
  const at::ScalarType compute = precision == "bf16" ? torch::kBFloat16 : torch::kFloat;
  // From before a closing sigmoid in float32 (in bfloat16 the loss sees a widened copy).
  SigmoidReconstructionGradient through_sigmoid;
  if (compute == torch::kFloat && layers.back().activation == Activation::kSigmoid)
    through_sigmoid = objective.sigmoid_reconstruction_gradient();
  return std::unique_ptr<DenseStep>(
      new DenseStep(std::move(layers), std::move(loss), std::move(through_sigmoid), compute));
}

const torch::Tensor& DenseStep::in_compute(const torch::Tensor& tensor, torch::Tensor& copy) const {
  if (!tensor.defined() || tensor.scalar_type() == compute_) return tensor;
  // The rounding autocast's casts do (to() copies through the same kernel).
  return shaped(copy, tensor.sizes(), tensor, compute_).copy_(tensor);
}

void DenseStep::widen_into(torch::Tensor& grad, torch::Tensor& computed) {
  if (&grad == &computed) return;
  shaped(grad, computed.sizes(), computed, torch::kFloat).copy_(computed);
}

void DenseStep::affine(Layer& layer, const torch::Tensor& x) {
  const torch::Tensor& weight = in_compute(layer.linear->weight, layer.weight_low);
  const torch::Tensor& bias = in_compute(layer.linear->bias, layer.bias_low);
  torch::Tensor& y = shaped(layer.output, {x.size(0), weight.size(0)}, weight);
  // torch::nn::Linear on a matrix: addmm with the transposed weight, or mm without a bias.
  if (bias.defined())
    at::addmm_out(y, bias, x, weight.t());
  else
    at::mm_out(y, x, weight.t());
}

void DenseStep::activate(Layer& layer) {
  torch::Tensor& y = layer.output;
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

torch::Tensor DenseStep::loss_and_gradient(const torch::Tensor& target, bool& through_sigmoid) {
  Layer& last = layers_.back();
  if (loss_through_sigmoid_) {
    torch::Tensor loss =
        loss_through_sigmoid_(last.output.view(target.sizes()), target,
                              shaped(reconstruction_grad_, target.sizes(), last.output));
    through_sigmoid = loss.defined();
    if (through_sigmoid) return loss;
  }
  activate(last);
  const torch::Tensor& x = last.output;
  // The loss in float32, as autocast runs it.
  const torch::Tensor reconstruction =
      x.scalar_type() == torch::kFloat
          ? x.view(target.sizes())
          : shaped(reconstruction_wide_, x.sizes(), x, torch::kFloat).copy_(x).view(target.sizes());
  return loss_(reconstruction, target,
               shaped(reconstruction_grad_, target.sizes(), reconstruction));
}

torch::Tensor DenseStep::run(const torch::Tensor& input, const torch::Tensor& target) {
  torch::NoGradGuard no_grad;
  const torch::Tensor flat_input = in_compute(input.flatten(1), input_low_);
  torch::Tensor x = flat_input;
  for (Layer& layer : layers_) {
    affine(layer, x);
    if (&layer != &layers_.back()) activate(layer);  // the last one's goes with the loss
    x = layer.output;
  }
  bool through_sigmoid = false;
  torch::Tensor loss = loss_and_gradient(target, through_sigmoid);
  torch::Tensor grad = in_compute(reconstruction_grad_.view(x.sizes()), reconstruction_grad_low_);

  // Backward, as autograd takes addmm(b, x, W^T) back: dW = g^T x (mm_mat2_backward for a
  // transposed operand), db = g summed over the batch (the broadcast bias reduced), dx = g W.
  for (size_t i = layers_.size(); i-- > 0;) {
    Layer& layer = layers_[i];
    if (!(through_sigmoid && i + 1 == layers_.size())) activation_backward(layer, grad);
    const torch::Tensor& layer_input = i == 0 ? flat_input : layers_[i - 1].output;
    torch::Tensor& weight = layer.linear->weight;
    torch::Tensor& bias = layer.linear->bias;
    const bool wide = compute_ == torch::kFloat;
    if (weight.requires_grad()) {
      torch::Tensor& computed = wide ? layer.weight_grad : layer.weight_grad_low;
      at::mm_out(shaped(computed, weight.sizes(), grad), grad.t(), layer_input);
      widen_into(layer.weight_grad, computed);
      weight.mutable_grad() = layer.weight_grad;
    }
    if (bias.defined() && bias.requires_grad()) {
      torch::Tensor& computed = wide ? layer.bias_grad : layer.bias_grad_low;
      at::sum_out(shaped(computed, bias.sizes(), grad), grad, {0});
      widen_into(layer.bias_grad, computed);
      bias.mutable_grad() = layer.bias_grad;
    }
    if (i > 0) {
      // The weight as forward() used it: its rounded copy in bfloat16, still this step's.
      const torch::Tensor& used = wide ? weight : layer.weight_low;
      at::mm_out(shaped(layer.input_grad, layer_input.sizes(), grad), grad, used);
      grad = layer.input_grad;
    }
  }
  return loss;
}

}  // namespace aelab
