// oneDNN's row-major sgemm behind the dense step's products. Built with AELAB_HAVE_ONEDNN only
// where CMake found libdnnl-dev; without it every product is LibTorch's.
#include "framework/train/cpu_matmul.h"

#include <fmt/format.h>

#include <algorithm>

#include "framework/core/error.h"

#ifdef AELAB_HAVE_ONEDNN
#include <dnnl.h>
#endif

namespace aelab {
namespace {

#ifdef AELAB_HAVE_ONEDNN
/// A matrix as sgemm reads it: row-major ('N') or a transposed view of a row-major one ('T'),
/// with its leading dimension. `copy` holds a contiguous copy when neither applies.
struct Operand {
  char transpose = 'N';
  int64_t leading = 0;
  const float* data = nullptr;
  torch::Tensor copy;
};

Operand operand_of(const torch::Tensor& matrix) {
  const int64_t rows = matrix.size(0), columns = matrix.size(1);
  Operand operand;
  if (matrix.stride(1) == 1 && matrix.stride(0) >= std::max<int64_t>(columns, 1)) {
    operand.leading = matrix.stride(0);
  } else if (matrix.stride(0) == 1 && matrix.stride(1) >= std::max<int64_t>(rows, 1)) {
    operand.transpose = 'T';
    operand.leading = matrix.stride(1);
  } else {
    operand.copy = matrix.contiguous();
    operand.leading = std::max<int64_t>(columns, 1);
    operand.data = operand.copy.data_ptr<float>();
    return operand;
  }
  operand.data = matrix.data_ptr<float>();
  return operand;
}

/// Whether oneDNN takes the product into `out`: float32 matrices on the CPU, `out` row-major.
bool onednn_takes(const torch::Tensor& out, const torch::Tensor& a, const torch::Tensor& b) {
  for (const torch::Tensor* t : {&out, &a, &b})
    if (t->dim() != 2 || !t->device().is_cpu() || t->scalar_type() != torch::kFloat) return false;
  return out.is_contiguous() && a.size(0) == out.size(0) && b.size(1) == out.size(1) &&
         a.size(1) == b.size(0) && out.numel() > 0 && a.size(1) > 0;
}

/// out = beta out + a b by oneDNN.
void onednn_gemm(torch::Tensor& out, const torch::Tensor& a, const torch::Tensor& b, float beta) {
  const Operand left = operand_of(a), right = operand_of(b);
  const dnnl_status_t status = dnnl_sgemm(left.transpose, right.transpose, out.size(0), out.size(1),
                                          a.size(1), 1.0f, left.data, left.leading, right.data,
                                          right.leading, beta, out.data_ptr<float>(), out.size(1));
  TORCH_CHECK(status == dnnl_success, "dnnl_sgemm failed with status ", static_cast<int>(status));
}
#endif

}  // namespace

bool have_onednn() {
#ifdef AELAB_HAVE_ONEDNN
  return true;
#else
  return false;
#endif
}

MatmulLibrary matmul_library(const std::string& choice) {
  if (choice == "libtorch") return MatmulLibrary::kLibTorch;
  if (choice == "onednn" && !have_onednn())
    throw ConfigError(
        "trainer.cpu_matmul=onednn: this build of aelab has no oneDNN (CMake found no "
        "libdnnl-dev); use trainer.cpu_matmul=auto or libtorch");
  return have_onednn() ? MatmulLibrary::kOneDnn : MatmulLibrary::kLibTorch;
}

std::string describe(MatmulLibrary library) {
#ifdef AELAB_HAVE_ONEDNN
  if (library == MatmulLibrary::kOneDnn) {
    const dnnl_version_t* version = dnnl_version();
    return fmt::format("oneDNN {}.{}.{} sgemm", version->major, version->minor, version->patch);
  }
#endif
  return "LibTorch";
}

void mm_out(MatmulLibrary library, torch::Tensor& out, const torch::Tensor& a,
            const torch::Tensor& b) {
#ifdef AELAB_HAVE_ONEDNN
  if (library == MatmulLibrary::kOneDnn && onednn_takes(out, a, b))
    return onednn_gemm(out, a, b, 0.0f);
#endif
  at::mm_out(out, a, b);
}

void addmm_out(MatmulLibrary library, torch::Tensor& out, const torch::Tensor& bias,
               const torch::Tensor& a, const torch::Tensor& b) {
#ifdef AELAB_HAVE_ONEDNN
  if (library == MatmulLibrary::kOneDnn && onednn_takes(out, a, b) && bias.dim() == 1 &&
      bias.size(0) == out.size(1)) {
    out.copy_(bias.expand_as(out));
    return onednn_gemm(out, a, b, 1.0f);
  }
#endif
  at::addmm_out(out, bias, a, b);
}

}  // namespace aelab
