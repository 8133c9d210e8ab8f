// Reconstruction metrics for inputs in [0, 1]: mse (per pixel), sse (per image, as in Hinton
// and Salakhutdinov 2006) and psnr (10 log10(1 / mse), in dB).
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>

#include "framework/models/model.h"

namespace aelab {

/// {"mse", "sse", "psnr"} of the model's reconstruction of `x`, evaluated in batches without
/// gradients, accumulated in float64.
std::map<std::string, double> reconstruction_metrics(ModelImpl& model, const torch::Tensor& x,
                                                     int64_t batch_size);

/// The same metrics for a reconstruction function.
std::map<std::string, double> reconstruction_metrics(
    const std::function<torch::Tensor(const torch::Tensor&)>& reconstruct, const torch::Tensor& x,
    int64_t batch_size);

}  // namespace aelab
