// K autoencoders of the same dense architecture as one batched model: each layer's weights are
// a [K, out, in] tensor, so one batched matrix product runs every variant's layer. Variants
// may differ in their code size: codes are padded to the largest and masked, so the padded
// units carry nothing forward or back and their weights stay zero.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "framework/models/autoencoder.h"

namespace aelab {

/// `model` as a variant of a stack (an autoencoder whose parts are dense chains); null, with
/// why not in `why`, when it cannot be one.
AutoencoderImpl* stackable_autoencoder(ModelImpl& model, std::string* why = nullptr);

class StackedAutoencoder {
 public:
  /// Stacks the current weights of `variants` (their encoders and decoders must be dense
  /// chains of the same shape but for the code size); Error otherwise.
  explicit StackedAutoencoder(const std::vector<AutoencoderImpl*>& variants);

  /// The stacked weights and biases (leaves with gradients), each [K, ...].
  const std::vector<torch::Tensor>& parameters() const { return parameters_; }
  /// Each stacked tensor's slice for variant `k`, as that variant's own tensor is shaped: the
  /// rows and columns beyond its code size dropped.
  std::vector<torch::Tensor> variant_slices(const std::vector<torch::Tensor>& stacked,
                                            int64_t k) const;
  /// The parameters of variant `k`'s own model, in the order of parameters().
  const std::vector<torch::Tensor>& variant_parameters(int64_t k) const {
    return variant_parameters_[static_cast<size_t>(k)];
  }

  /// Reconstructions [K, B, D] of inputs [K, B, D] (D: the flattened input size).
  torch::Tensor forward(const torch::Tensor& inputs);

  /// Copies variant `k`'s stacked weights into its own model.
  void copy_to_variant(int64_t k);

  int64_t size() const { return static_cast<int64_t>(variant_parameters_.size()); }

 private:
  struct Layer {
    size_t weight, bias;  ///< positions in parameters_ (bias: npos when the layer has none)
    std::string activation;
  };
  torch::Tensor run_chain(torch::Tensor x, const std::vector<Layer>& chain) const;

  std::vector<torch::Tensor> parameters_;
  std::vector<std::vector<torch::Tensor>> variant_parameters_;
  std::vector<Layer> encoder_, decoder_;
  torch::Tensor code_mask_;  ///< [K, 1, largest code size]; undefined when all sizes agree
};

}  // namespace aelab
