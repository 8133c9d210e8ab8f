// Convolution weights in channels-last layout. With a channels-last weight, LibTorch's CPU
// convolutions (oneDNN) keep every feature map as N x H x W x C in memory, which their kernels
// and batch norm, pooling and upsampling after them run faster on; results differ from the
// default layout by float rounding only.
#pragma once

#include <torch/torch.h>

namespace aelab {

/// Puts every 4-D parameter of `module` and its submodules (the convolutions' weights) in
/// channels-last layout, keeping its values and its device.
void use_channels_last(torch::nn::Module& module);

}  // namespace aelab
