// The squared differences and the gradient in one pass, then ATen's own mean of the squares: two
// passes where ATen makes three. Each element's arithmetic is ATen's, in the same order
// (d = r - t; d * d; (2/n) * d), so the loss and the gradient are ATen's bits. The file is built
// without fused multiply-adds so that a later edit of the loop cannot round differently unseen.
#include "framework/train/fused_mse.h"

#include <ATen/Parallel.h>

namespace aelab {

bool fused_mse_applies(const torch::Tensor& reconstruction, const torch::Tensor& target) {
  auto takes = [](const torch::Tensor& t) {
    return t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous();
  };
  return takes(reconstruction) && takes(target) && reconstruction.sizes().equals(target.sizes());
}

void fit_scratch(torch::Tensor& buffer, const torch::Tensor& like) {
  if (!buffer.defined() || !buffer.sizes().equals(like.sizes()) || !buffer.is_contiguous() ||
      buffer.scalar_type() != torch::kFloat32 || !buffer.device().is_cpu())
    buffer = torch::empty_like(like, at::MemoryFormat::Contiguous);
}

torch::Tensor fused_mse(const torch::Tensor& reconstruction, const torch::Tensor& target,
                        torch::Tensor& gradient, torch::Tensor& squares) {
  fit_scratch(gradient, reconstruction);
  fit_scratch(squares, reconstruction);
  const int64_t n = reconstruction.numel();
  // mse_loss_backward's factor for the mean: 2/n in double, then as the tensor's float.
  const float scale = static_cast<float>(2.0 / static_cast<double>(n));
  const float* __restrict r = reconstruction.data_ptr<float>();
  const float* __restrict t = target.data_ptr<float>();
  float* __restrict g = gradient.data_ptr<float>();
  float* __restrict s = squares.data_ptr<float>();
  at::parallel_for(0, n, 32768, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const float d = r[i] - t[i];
      s[i] = d * d;
      g[i] = scale * d;
    }
  });
  return squares.mean();
}

}  // namespace aelab
