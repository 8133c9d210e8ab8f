// A dense autoencoder's training step written out by hand: the forward pass into buffers kept
// from step to step, then each layer's gradients by the formulas autograd uses (the same
// matrix products, the same kernels), with no graph to build and walk. MLP and linear
// autoencoders take it when trained on the CPU on a reconstruction loss; their steps are short
// enough that autograd's bookkeeping shows. In bf16 it computes what autograd computes under
// autocast: products and activations in bfloat16 from rounded copies of the float32 weights,
// the loss in float32, and gradients in bfloat16 widened to float32. In float32, a closing
// sigmoid and the loss go in one pass where the objective has one
// (sigmoid_reconstruction_gradient()), with the same bits. Everything else keeps autograd. It
// trains through the encoder's and decoder's dense_chain(), so a chain must compute exactly
// forward().
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "framework/models/model.h"
#include "framework/train/objective.h"

namespace aelab {

class DenseStep {
 public:
  /// The step for `model` trained on `objective` at `precision`; nullptr where it does not apply
  /// (the reason in `why` when given), and the trainer keeps autograd.
  static std::unique_ptr<DenseStep> for_model(ModelImpl& model, const Objective& objective,
                                              const std::string& precision,
                                              std::string* why = nullptr);

  /// The loss of the model's reconstruction of `input` (a batch, possibly corrupted) against
  /// `target` (the clean batch); sets each parameter that requires a gradient to the gradient
  /// loss.backward() would have given it from cleared gradients (it does not add to them). The
  /// gradient is a buffer of this step that the next call rewrites.
  torch::Tensor run(const torch::Tensor& input, const torch::Tensor& target);

 private:
  enum class Activation { kIdentity, kRelu, kSigmoid, kTanh };
  /// One affine layer, its activation, and the buffers it writes each step.
  struct Layer {
    torch::nn::Linear linear{nullptr};  ///< the model's own layer (its bias may be undefined)
    Activation activation = Activation::kIdentity;
    torch::Tensor output;       ///< after the activation, [batch, out]
    torch::Tensor input_grad;   ///< the loss's gradient with respect to the layer's input
    torch::Tensor weight_grad;  ///< handed to weight.grad each step
    torch::Tensor bias_grad;    ///< handed to bias.grad each step
    // In bfloat16 only: the parameters rounded for this step, and their gradients before they
    // are widened into weight_grad and bias_grad.
    torch::Tensor weight_low, bias_low, weight_grad_low, bias_grad_low;
  };

  DenseStep(std::vector<Layer> layers, ReconstructionGradient loss,
            SigmoidReconstructionGradient loss_through_sigmoid, at::ScalarType compute)
      : layers_(std::move(layers)),
        loss_(std::move(loss)),
        loss_through_sigmoid_(std::move(loss_through_sigmoid)),
        compute_(compute) {}
  /// x W^T + b into layer.output, in the step's precision.
  void affine(Layer& layer, const torch::Tensor& x);
  /// layer.output through the layer's activation, in place.
  static void activate(Layer& layer);
  /// The loss of the last layer's output against `target` and its gradient with respect to the
  /// output, into reconstruction_grad_; the last layer's activation applied (taken back through
  /// it too when `through_sigmoid` comes back true).
  torch::Tensor loss_and_gradient(const torch::Tensor& target, bool& through_sigmoid);
  /// `tensor` in the step's precision: itself in float32, else rounded into `copy`.
  const torch::Tensor& in_compute(const torch::Tensor& tensor, torch::Tensor& copy) const;
  /// The gradient `computed` in the step's precision, as float32 in `grad` (itself in float32).
  static void widen_into(torch::Tensor& grad, torch::Tensor& computed);
  /// `grad` (the loss's gradient with respect to layer.output) taken back through the
  /// activation, in place.
  static void activation_backward(const Layer& layer, torch::Tensor& grad);

  std::vector<Layer> layers_;
  ReconstructionGradient loss_;
  /// The loss from before a closing sigmoid, in float32 only (else empty).
  SigmoidReconstructionGradient loss_through_sigmoid_;
  at::ScalarType compute_;  ///< kFloat, or kBFloat16 for trainer.precision=bf16
  torch::Tensor reconstruction_grad_;
  // In bfloat16 only: the input rounded, the reconstruction widened to float32 for the loss,
  // and the loss's gradient rounded back to bfloat16.
  torch::Tensor input_low_, reconstruction_wide_, reconstruction_grad_low_;
};

}  // namespace aelab
