// Encoders and decoders that are a chain of dense layers say so: a stacked trainer
// (launcher.stack) then runs many of them as one batched model.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace aelab {

/// One affine layer of a chain and the activation after it (`identity`: none).
struct DenseLayer {
  torch::nn::Linear linear;
  std::string activation;
};

/// The layers of a chain, input side first; empty for a part that is not one.
using DenseChain = std::vector<DenseLayer>;

}  // namespace aelab
