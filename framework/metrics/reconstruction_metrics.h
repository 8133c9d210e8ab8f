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

/// The same metrics for a reconstruction function. With `input`, each batch of `input` is
/// reconstructed and compared with the same rows of `x` (denoising: noisy in, clean target).
std::map<std::string, double> reconstruction_metrics(
    const std::function<torch::Tensor(const torch::Tensor&)>& reconstruct, const torch::Tensor& x,
    int64_t batch_size, const torch::Tensor& input = {});

/// Denoising metrics of `reconstruct` on `noisy` against `clean`: denoise_mse, denoise_sse,
/// denoise_psnr, and noisy_mse, noisy_psnr of the corrupted input itself.
std::map<std::string, double> denoising_metrics(
    const std::function<torch::Tensor(const torch::Tensor&)>& reconstruct,
    const torch::Tensor& clean, const torch::Tensor& noisy, int64_t batch_size);

}  // namespace aelab
