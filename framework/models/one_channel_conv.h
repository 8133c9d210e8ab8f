// Convolutions from or to one channel (a grey image's first and last layers) on the CPU, as
// loops over channels-last taps. oneDNN widens a side of one channel to a vector's width: on
// an AVX2 machine the decoder's last 32 -> 1 convolution took as long forward and back as a
// 32 -> 8 one, 37 ms a batch of 128 28x28 images, ten times its arithmetic.
#pragma once

#include <torch/torch.h>

namespace aelab {

/// `conv` applied to `x`, for a convolution built with stride 1 and padding kernel / 2 (the
/// image keeps its size). Where one side has one channel and the work is float32 on the CPU
/// (outside autocast), the one-channel loops compute it, forward and back, with the same result
/// as the module up to float rounding (a test compares them); elsewhere the module does.
torch::Tensor same_size_conv(torch::nn::Conv2d& conv, const torch::Tensor& x);

/// Whether same_size_conv computes `conv` on `x` by the one-channel loops.
bool takes_one_channel_loops(torch::nn::Conv2d& conv, const torch::Tensor& x);

}  // namespace aelab
