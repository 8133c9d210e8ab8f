// The matrix products of the hand-written dense step (dense_step.h), by the library that
// `trainer.cpu_matmul` names: LibTorch's own (its BLAS, OpenBLAS on Debian) or oneDNN's sgemm,
// which Debian's LibTorch already links. At the batch-128 shapes of dense autoencoders oneDNN's
// products ran 15-30% faster than OpenBLAS's on an AVX-512 Xeon (README, Speed). The two sum in
// another order, so their results differ in the last bits; each gives the same bits run after run
// at the same thread count.
#pragma once

#include <torch/torch.h>

#include <string>

namespace aelab {

enum class MatmulLibrary { kLibTorch, kOneDnn };

/// Whether this build has oneDNN's sgemm (CMake found Debian's libdnnl-dev).
bool have_onednn();

/// The library a `trainer.cpu_matmul` value names: `auto` is oneDNN where this build has it, else
/// LibTorch. ConfigError for `onednn` in a build without it.
MatmulLibrary matmul_library(const std::string& choice);

/// The library and its version, for a run's provenance: "oneDNN 2.6.3 sgemm" or "LibTorch".
std::string describe(MatmulLibrary library);

/// out = a b for float32 CPU matrices (out [m, n], a [m, k], b [k, n]); a and b may be transposed
/// views (weight.t()). LibTorch's is at::mm_out itself. Anything oneDNN cannot take (another
/// dtype or device, a strided layout) goes to at::mm_out too.
void mm_out(MatmulLibrary library, torch::Tensor& out, const torch::Tensor& a,
            const torch::Tensor& b);

/// out = bias + a b, the bias [n] added to each row: nn::Linear's product. LibTorch's is
/// at::addmm_out itself.
void addmm_out(MatmulLibrary library, torch::Tensor& out, const torch::Tensor& bias,
               const torch::Tensor& a, const torch::Tensor& b);

}  // namespace aelab
