// The importance-sampled NLL decodes hundreds of samples per image: there the likelihood's eight
// elementwise passes (neg, log1p, clamp, log, clamp, sub, mul, add) took most of the time after
// the decoder's products. ATen 1.13 computes log and log1p with SLEEF on every element (the last,
// partial vector padded), so one pass calling the same functions gives the same bits.
#include "framework/models/bernoulli_log_likelihood.h"

#include <ATen/Parallel.h>

#include <cstring>

#include "framework/train/aten_cpu_kernels.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AELAB_SLEEF_LOGS 1
#endif

namespace aelab {
namespace {

#ifdef AELAB_SLEEF_LOGS
using Vector8 = __m256 (*)(__m256);
using Vector16 = __m512 (*)(__m512);

/// SLEEF's log and log1p: the 8-wide ones ATen's AVX2 kernels call, and the 16-wide AVX-512 ones
/// where the CPU has them (their bits equal the 8-wide ones' for all 2^32 floats, checked against
/// Debian 12's libsleef 3.5; the probe below checks the pass as a whole).
struct SleefLogs {
  Vector8 log8 = nullptr, log1p8 = nullptr;
  Vector16 log16 = nullptr, log1p16 = nullptr;
};

const SleefLogs& sleef_logs() {
  static const SleefLogs logs = [] {
    SleefLogs found;
    found.log8 = reinterpret_cast<Vector8>(loaded_sleef_function("Sleef_logf8_u10"));
    found.log1p8 = reinterpret_cast<Vector8>(loaded_sleef_function("Sleef_log1pf8_u10"));
    if (__builtin_cpu_supports("avx512f")) {
      found.log16 = reinterpret_cast<Vector16>(loaded_sleef_function("Sleef_logf16_u10avx512f"));
      found.log1p16 =
          reinterpret_cast<Vector16>(loaded_sleef_function("Sleef_log1pf16_u10avx512f"));
    }
    return found;
  }();
  return logs;
}

/// (max(log p, -100) - max(log1p(-p), -100)) * x + max(log1p(-p), -100) for 8 pixels, with
/// ATen's roundings: each operation on its own, no fused multiply-add.
__attribute__((target("avx2"))) inline __m256 terms8(__m256 p, __m256 x, const SleefLogs& logs) {
  const __m256 floor = _mm256_set1_ps(-100.0f);
  const __m256 negated = _mm256_xor_ps(p, _mm256_set1_ps(-0.0f));  // ATen's neg
  const __m256 log_not_p = _mm256_max_ps(floor, logs.log1p8(negated));
  const __m256 log_p = _mm256_max_ps(floor, logs.log8(p));
  return _mm256_add_ps(_mm256_mul_ps(_mm256_sub_ps(log_p, log_not_p), x), log_not_p);
}

// GCC 12's _mm512_max_ps passes an undefined vector as its unused merge source, which
// -Wmaybe-uninitialized takes for a read of it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
__attribute__((target("avx512f"))) inline __m512 terms16(__m512 p, __m512 x,
                                                         const SleefLogs& logs) {
  const __m512 floor = _mm512_set1_ps(-100.0f);
  const __m512 negated = _mm512_castsi512_ps(
      _mm512_xor_si512(_mm512_castps_si512(p), _mm512_set1_epi32(static_cast<int>(0x80000000u))));
  const __m512 log_not_p = _mm512_max_ps(floor, logs.log1p16(negated));
  const __m512 log_p = _mm512_max_ps(floor, logs.log16(p));
  return _mm512_add_ps(_mm512_mul_ps(_mm512_sub_ps(log_p, log_not_p), x), log_not_p);
}

__attribute__((target("avx2"))) void terms_range8(const float* p, const float* x, float* out,
                                                  int64_t count, const SleefLogs& logs) {
  int64_t i = 0;
  for (; i + 8 <= count; i += 8)
    _mm256_storeu_ps(out + i, terms8(_mm256_loadu_ps(p + i), _mm256_loadu_ps(x + i), logs));
  if (i == count) return;
  float pad_p[8] = {0}, pad_x[8] = {0}, done[8];  // the last, partial vector, as ATen pads it
  std::memcpy(pad_p, p + i, (count - i) * sizeof(float));
  std::memcpy(pad_x, x + i, (count - i) * sizeof(float));
  _mm256_storeu_ps(done, terms8(_mm256_loadu_ps(pad_p), _mm256_loadu_ps(pad_x), logs));
  std::memcpy(out + i, done, (count - i) * sizeof(float));
}

__attribute__((target("avx512f"))) void terms_range16(const float* p, const float* x, float* out,
                                                      int64_t count, const SleefLogs& logs) {
  int64_t i = 0;
  for (; i + 16 <= count; i += 16)
    _mm512_storeu_ps(out + i, terms16(_mm512_loadu_ps(p + i), _mm512_loadu_ps(x + i), logs));
  if (i < count) terms_range8(p + i, x + i, out + i, count - i, logs);
}
#pragma GCC diagnostic pop
#endif

bool pass_available() {
#ifdef AELAB_SLEEF_LOGS
  return sleef_logs().log8 && sleef_logs().log1p8 && aten_runs_avx2_kernels();
#else
  return false;
#endif
}

bool takes(const torch::Tensor& means, const torch::Tensor& x) {
  return means.device().is_cpu() && x.device().is_cpu() && means.dim() == 2 &&
         means.scalar_type() == torch::kFloat32 && x.scalar_type() == torch::kFloat32 &&
         means.is_contiguous() && x.is_contiguous() && means.sizes().equals(x.sizes()) &&
         !means.requires_grad() && !x.requires_grad();
}

/// The per-pixel terms in one pass; call only where the pass is available.
torch::Tensor pass_terms(const torch::Tensor& means, const torch::Tensor& x) {
  torch::Tensor terms = torch::empty_like(means);
#ifdef AELAB_SLEEF_LOGS
  const float* p = means.data_ptr<float>();
  const float* t = x.data_ptr<float>();
  float* out = terms.data_ptr<float>();
  const SleefLogs& logs = sleef_logs();
  at::parallel_for(0, means.numel(), at::internal::GRAIN_SIZE, [&](int64_t begin, int64_t end) {
    if (logs.log16 && logs.log1p16)
      terms_range16(p + begin, t + begin, out + begin, end - begin, logs);
    else
      terms_range8(p + begin, t + begin, out + begin, end - begin, logs);
  });
#endif
  return terms;
}

/// Whether the pass gives ATen's bits on a probe: means across (0, 1) with their edges (0, 1,
/// the smallest floats, values near 1 whose log1p(-p) reaches the clamp), targets in [0, 1] with
/// 0 and 1 among them, over a row length whose last vector is partial.
bool matches_aten() {
  // Made without the random generator: the probe runs inside a run, whose draws it must not move.
  const int64_t rows = 37, cols = 787;
  const torch::Tensor steps = torch::arange(rows * cols, torch::kFloat32).view({rows, cols});
  torch::Tensor means = torch::sin(steps * 0.731f).mul_(0.5f).add_(0.5f);
  torch::Tensor x = torch::frac(steps * 0.618034f);
  float* p = means.data_ptr<float>();
  const float edges[] = {0.0f,        1.0f,    1e-45f,       1e-38f, 1e-30f, 0.5f,
                         0.99999994f, 0.9999f, 1.0f - 1e-7f, 3e-39f, 0.25f,  0.75f};
  for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); ++i) {
    p[i] = edges[i];
    p[rows * cols - 1 - i] = edges[i];
  }
  x.index_put_({torch::indexing::Slice(0, 3)}, 0.0f);
  x.index_put_({torch::indexing::Slice(rows - 3, rows)}, 1.0f);
  torch::NoGradGuard no_grad;
  const torch::Tensor ours = pass_terms(means, x).sum(1);
  const torch::Tensor theirs = bernoulli_log_likelihood_by_aten(means, x);
  return std::memcmp(ours.data_ptr<float>(), theirs.data_ptr<float>(), rows * sizeof(float)) == 0;
}

}  // namespace

torch::Tensor bernoulli_log_likelihood_by_aten(const torch::Tensor& means, const torch::Tensor& x) {
  // In place after the two logs: the same bits as the out-of-place formula, without five fresh
  // tensors of the batch's size.
  torch::Tensor log_not_p = torch::neg(means).log1p_().clamp_min_(-100);
  torch::Tensor log_p = torch::log(means).clamp_min_(-100);
  return log_p.sub_(log_not_p).mul_(x).add_(log_not_p).sum(1);
}

bool bernoulli_pass_applies(const torch::Tensor& means, const torch::Tensor& x) {
  if (!takes(means, x)) return false;
  static const bool matches = pass_available() && matches_aten();
  return matches;
}

torch::Tensor bernoulli_log_likelihood(const torch::Tensor& means, const torch::Tensor& x) {
  if (bernoulli_pass_applies(means, x)) return pass_terms(means, x).sum(1);
  return bernoulli_log_likelihood_by_aten(means, x);
}

}  // namespace aelab
