// Built without fused multiply-adds (-ffp-contract=off) so that each operation rounds as ATen's.
#include "framework/train/fused_sigmoid_mse.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "framework/train/aten_cpu_kernels.h"
#include "framework/train/fused_mse.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AELAB_SLEEF_PASS 1
#endif

namespace aelab {
namespace {

/// The width ATen's vectorized loop steps by: two AVX2 vectors of 8 floats.
constexpr int64_t kStep = 16;

#ifdef AELAB_SLEEF_PASS
using VectorExp = __m256 (*)(__m256);

/// SLEEF's 8-wide exponential that ATen's AVX2 kernels call, where it is a symbol of this process.
VectorExp sleef_expf8() {
  static const VectorExp found =
      reinterpret_cast<VectorExp>(loaded_sleef_function("Sleef_expf8_u10"));
  return found;
}

using VectorExp16 = __m512 (*)(__m512);

/// SLEEF's 16-wide AVX-512 exponential, where this CPU and process have it. It gives the 8-wide
/// one's bits for every float (all 2^32 inputs checked against Debian 12's libsleef 3.5; a test
/// samples the loaded one, and the start-up probe checks the whole pass), so on an AVX-512 CPU
/// whose ATen runs its AVX2 kernels (LibTorch 1.13's default) the pass takes ATen's steps of 16
/// in one vector.
VectorExp16 sleef_expf16() {
  static const VectorExp16 found =
      __builtin_cpu_supports("avx512f")
          ? reinterpret_cast<VectorExp16>(loaded_sleef_function("Sleef_expf16_u10avx512f"))
          : nullptr;
  return found;
}

/// y = 1 / (1 + exp(0 - z)), as ATen's vector sigmoid rounds it.
__attribute__((target("avx2"))) inline __m256 sigmoid_vector(__m256 z, VectorExp exp8) {
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 e = exp8(_mm256_sub_ps(_mm256_setzero_ps(), z));
  return _mm256_div_ps(one, _mm256_add_ps(one, e));
}

__attribute__((target("avx2"))) void sigmoid_vectors(float* z, int64_t count, VectorExp exp8) {
  for (int64_t i = 0; i < count; i += 8)
    _mm256_storeu_ps(z + i, sigmoid_vector(_mm256_loadu_ps(z + i), exp8));
}

/// The pass on whole vectors: y into z, (y - t)^2 into s, ((scale (y - t)) (1 - y)) y into g.
__attribute__((target("avx2"))) void sigmoid_mse_vectors(float* z, const float* t, float* g,
                                                         float* s, int64_t count, float scale,
                                                         VectorExp exp8) {
  const __m256 one = _mm256_set1_ps(1.0f), factor = _mm256_set1_ps(scale);
  for (int64_t i = 0; i < count; i += 8) {
    const __m256 y = sigmoid_vector(_mm256_loadu_ps(z + i), exp8);
    const __m256 d = _mm256_sub_ps(y, _mm256_loadu_ps(t + i));
    _mm256_storeu_ps(z + i, y);
    _mm256_storeu_ps(s + i, _mm256_mul_ps(d, d));
    const __m256 through = _mm256_mul_ps(_mm256_mul_ps(factor, d), _mm256_sub_ps(one, y));
    _mm256_storeu_ps(g + i, _mm256_mul_ps(through, y));
  }
}

/// sigmoid_vector, sigmoid_vectors and sigmoid_mse_vectors 16 floats at a time: the same IEEE
/// operations element by element, so the same bits.
__attribute__((target("avx512f"))) inline __m512 sigmoid_vector16(__m512 z, VectorExp16 exp16) {
  const __m512 one = _mm512_set1_ps(1.0f);
  const __m512 e = exp16(_mm512_sub_ps(_mm512_setzero_ps(), z));
  return _mm512_div_ps(one, _mm512_add_ps(one, e));
}

__attribute__((target("avx512f"))) void sigmoid_vectors16(float* z, int64_t count,
                                                          VectorExp16 exp16) {
  for (int64_t i = 0; i < count; i += 16)
    _mm512_storeu_ps(z + i, sigmoid_vector16(_mm512_loadu_ps(z + i), exp16));
}

__attribute__((target("avx512f"))) void sigmoid_mse_vectors16(float* z, const float* t, float* g,
                                                              float* s, int64_t count, float scale,
                                                              VectorExp16 exp16) {
  const __m512 one = _mm512_set1_ps(1.0f), factor = _mm512_set1_ps(scale);
  for (int64_t i = 0; i < count; i += 16) {
    const __m512 y = sigmoid_vector16(_mm512_loadu_ps(z + i), exp16);
    const __m512 d = _mm512_sub_ps(y, _mm512_loadu_ps(t + i));
    _mm512_storeu_ps(z + i, y);
    _mm512_storeu_ps(s + i, _mm512_mul_ps(d, d));
    const __m512 through = _mm512_mul_ps(_mm512_mul_ps(factor, d), _mm512_sub_ps(one, y));
    _mm512_storeu_ps(g + i, _mm512_mul_ps(through, y));
  }
}
#endif

float sigmoid_scalar(float z) { return 1.0f / (1.0f + std::exp(-z)); }

/// The elements of [begin, end) that ATen's vectorized loop takes by vector: whole steps of 16
/// from the start of one thread's range; it takes the rest one by one.
int64_t vector_end(int64_t begin, int64_t end) { return begin + (end - begin) / kStep * kStep; }

/// ATen's sigmoid over one thread's range [begin, end).
void sigmoid_range(float* z, int64_t begin, int64_t end) {
  const int64_t split = vector_end(begin, end);
#ifdef AELAB_SLEEF_PASS
  if (VectorExp16 exp16 = sleef_expf16())
    sigmoid_vectors16(z + begin, split - begin, exp16);
  else
    sigmoid_vectors(z + begin, split - begin, sleef_expf8());
#endif
  for (int64_t i = split; i < end; ++i) z[i] = sigmoid_scalar(z[i]);
}

/// The whole pass over one thread's range [begin, end).
void sigmoid_mse_range(float* z, const float* t, float* g, float* s, float scale, int64_t begin,
                       int64_t end) {
  const int64_t split = vector_end(begin, end);
#ifdef AELAB_SLEEF_PASS
  if (VectorExp16 exp16 = sleef_expf16())
    sigmoid_mse_vectors16(z + begin, t + begin, g + begin, s + begin, split - begin, scale, exp16);
  else
    sigmoid_mse_vectors(z + begin, t + begin, g + begin, s + begin, split - begin, scale,
                        sleef_expf8());
#endif
  for (int64_t i = split; i < end; ++i) {
    const float y = sigmoid_scalar(z[i]);
    const float d = y - t[i];
    z[i] = y;
    s[i] = d * d;
    g[i] = scale * d * (1.0f - y) * y;
  }
}

bool pass_available() {
#ifdef AELAB_SLEEF_PASS
  return sleef_expf8() != nullptr && aten_runs_avx2_kernels();
#else
  return false;
#endif
}

#ifdef AELAB_SLEEF_PASS
/// Values whose sigmoid differs between SLEEF's exponential and the C library's: where ATen
/// takes an element by vector and where one by one shows in them.
std::vector<float> telling_values() {
  const torch::Tensor candidates = torch::linspace(-20.0, 20.0, 4096, torch::kFloat32);
  torch::Tensor by_vector = candidates.clone();
  sigmoid_vectors(by_vector.data_ptr<float>(), by_vector.numel(), sleef_expf8());
  std::vector<float> found;
  const float* z = candidates.data_ptr<float>();
  const float* y = by_vector.data_ptr<float>();
  for (int64_t i = 0; i < candidates.numel() && static_cast<int64_t>(found.size()) < 2 * kStep - 1;
       ++i)
    if (y[i] != sigmoid_scalar(z[i])) found.push_back(z[i]);
  return found;
}

/// Whether ATen's sigmoid and the pass give the same bits on a probe: values across the
/// exponential's range and its edges, of a length that ATen's loop at 16 floats a step leaves a
/// tail of 15 and one at 32 a tail of 31, with telling values in each place where the two differ.
bool matches_aten_sigmoid() {
  const int64_t n = 50 * 2 * kStep + 2 * kStep - 1;
  torch::Tensor probe = torch::linspace(-90.0, 90.0, n, torch::kFloat32);
  probe.mul_(torch::sin(torch::arange(n, torch::kFloat32)).abs_().add_(0.01));
  float* values = probe.data_ptr<float>();
  const float edges[] = {0.0f, -0.0f, 1e-30f, -1e-30f, 88.72f, -88.72f, 103.9f, -103.9f, 0.5f};
  for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); ++i) values[i] = edges[i];
  const std::vector<float> telling = telling_values();
  for (size_t i = 0; i < telling.size(); ++i) values[n - 2 * kStep + 1 + i] = telling[i];
  const torch::Tensor expected = torch::sigmoid(probe);
  torch::Tensor ours = probe.clone();
  return pass_sigmoid_in_place(ours) &&
         std::memcmp(ours.data_ptr<float>(), expected.data_ptr<float>(), n * sizeof(float)) == 0;
}
#else
bool matches_aten_sigmoid() { return false; }
#endif

}  // namespace

bool pass_sigmoid_in_place(torch::Tensor& values) {
  if (!pass_available() || !values.is_contiguous() || values.scalar_type() != torch::kFloat32 ||
      !values.device().is_cpu())
    return false;
  float* z = values.data_ptr<float>();
  // The ranges ATen's TensorIterator gives each thread: at::parallel_for at its grain size.
  at::parallel_for(0, values.numel(), at::internal::GRAIN_SIZE,
                   [&](int64_t begin, int64_t end) { sigmoid_range(z, begin, end); });
  return true;
}

bool fused_sigmoid_mse_applies(const torch::Tensor& logits, const torch::Tensor& target) {
  if (!fused_mse_applies(logits, target)) return false;  // a GPU's tensors never reach the probe
  static const bool matches = pass_available() && matches_aten_sigmoid();
  return matches;
}

torch::Tensor fused_sigmoid_mse(const torch::Tensor& logits, const torch::Tensor& target,
                                torch::Tensor& gradient, torch::Tensor& squares) {
  fit_scratch(gradient, logits);
  fit_scratch(squares, logits);
  const int64_t n = logits.numel();
  // mse_loss_backward's factor for the mean: 2/n in double, then as the tensor's float.
  const float scale = static_cast<float>(2.0 / static_cast<double>(n));
  float* __restrict y = logits.data_ptr<float>();
  const float* __restrict t = target.data_ptr<float>();
  float* __restrict g = gradient.data_ptr<float>();
  float* __restrict s = squares.data_ptr<float>();
  at::parallel_for(0, n, at::internal::GRAIN_SIZE, [&](int64_t begin, int64_t end) {
    sigmoid_mse_range(y, t, g, s, scale, begin, end);
  });
  return squares.mean();
}

}  // namespace aelab
