// The dense step's products: LibTorch's are at::mm's own bits; oneDNN's match them to float
// rounding for every operand layout, repeat bit for bit, and `trainer.cpu_matmul` names them.
#include "framework/train/cpu_matmul.h"

#include <gtest/gtest.h>

#include "framework/core/error.h"

namespace aelab {
namespace {

/// The largest difference between `ours` and `reference`, relative to reference's largest entry.
double relative_difference(const torch::Tensor& ours, const torch::Tensor& reference) {
  if (reference.numel() == 0) return ours.numel() == 0 ? 0.0 : 1.0;
  const double scale = std::max(reference.abs().max().item<double>(), 1e-30);
  return (ours - reference).abs().max().item<double>() / scale;
}

/// The operands of one product in the layouts the dense step and callers give: row-major, a
/// transposed view, rows of a wider matrix, and every other column (copied before the product).
struct Layouts {
  std::string name;
  torch::Tensor a, b;
};
std::vector<Layouts> layouts(int64_t m, int64_t k, int64_t n) {
  torch::manual_seed(static_cast<uint64_t>(m * 1000 + k * 10 + n));
  torch::Tensor a = torch::randn({m, k}), b = torch::randn({k, n});
  return {{"row-major", a, b},
          {"transposed views", a.t().contiguous().t(), b.t().contiguous().t()},
          {"rows of wider matrices", torch::randn({m, k + 5}).slice(1, 0, k),
           torch::randn({k, n + 3}).slice(1, 2, n + 2)},
          {"strided columns", torch::randn({m, 2 * k}).slice(1, 0, 2 * k, 2), b}};
}

TEST(CpuMatmul, LibTorchsProductsAreAtMmsOwnBits) {
  for (const auto& layout : layouts(33, 70, 9)) {
    SCOPED_TRACE(layout.name);
    torch::Tensor out = torch::empty({33, 9}), bias = torch::randn({9});
    mm_out(MatmulLibrary::kLibTorch, out, layout.a, layout.b);
    EXPECT_TRUE(torch::equal(out, at::mm(layout.a, layout.b)));
    addmm_out(MatmulLibrary::kLibTorch, out, bias, layout.a, layout.b);
    EXPECT_TRUE(torch::equal(out, at::addmm(bias, layout.a, layout.b)));
  }
}

TEST(CpuMatmul, OneDnnsProductsMatchLibTorchsInEveryLayoutAndShape) {
  if (!have_onednn()) GTEST_SKIP() << "this build has no oneDNN";
  const std::vector<std::array<int64_t, 3>> shapes = {
      {128, 784, 512}, {512, 128, 784}, {1, 7, 5}, {6, 1, 4}, {5, 8, 1}, {3, 0, 4}, {0, 6, 2}};
  for (const auto& [m, k, n] : shapes) {
    for (const auto& layout : layouts(m, k, n)) {
      SCOPED_TRACE(layout.name + " " + std::to_string(m) + "x" + std::to_string(k) + "x" +
                   std::to_string(n));
      torch::Tensor out = torch::full({m, n}, 7.0f), bias = torch::randn({n});
      mm_out(MatmulLibrary::kOneDnn, out, layout.a, layout.b);
      torch::Tensor expected = at::mm(layout.a, layout.b);
      EXPECT_LE(relative_difference(out, expected), 1e-5);
      if (k == 0 && m > 0) EXPECT_TRUE(torch::equal(out, torch::zeros({m, n})));
      out.fill_(7.0f);
      addmm_out(MatmulLibrary::kOneDnn, out, bias, layout.a, layout.b);
      EXPECT_LE(relative_difference(out, at::addmm(bias, layout.a, layout.b)), 1e-5);
    }
  }
}

TEST(CpuMatmul, OneDnnRepeatsItsBitsAndLeavesWhatItCannotTakeToLibTorch) {
  if (!have_onednn()) GTEST_SKIP() << "this build has no oneDNN";
  torch::Tensor a = torch::randn({128, 300}), b = torch::randn({300, 64});
  torch::Tensor first = torch::empty({128, 64}), again = torch::empty({128, 64});
  mm_out(MatmulLibrary::kOneDnn, first, a, b);
  mm_out(MatmulLibrary::kOneDnn, again, a, b);
  EXPECT_TRUE(torch::equal(first, again));
  // float64 is not oneDNN's: LibTorch computes it, to its own bits.
  torch::Tensor a64 = a.to(torch::kDouble), b64 = b.to(torch::kDouble);
  torch::Tensor out64 = torch::empty({128, 64}, torch::kDouble);
  mm_out(MatmulLibrary::kOneDnn, out64, a64, b64);
  EXPECT_TRUE(torch::equal(out64, at::mm(a64, b64)));
  // An output that is a transposed view: LibTorch's too.
  torch::Tensor transposed = torch::empty({64, 128}).t();
  mm_out(MatmulLibrary::kOneDnn, transposed, a, b);
  EXPECT_TRUE(torch::equal(transposed, at::mm(a, b)));
}

TEST(CpuMatmul, TrainerSettingNamesTheLibrary) {
  EXPECT_EQ(matmul_library("libtorch"), MatmulLibrary::kLibTorch);
  EXPECT_EQ(describe(MatmulLibrary::kLibTorch), "LibTorch");
  if (have_onednn()) {
    EXPECT_EQ(matmul_library("auto"), MatmulLibrary::kOneDnn);
    EXPECT_EQ(matmul_library("onednn"), MatmulLibrary::kOneDnn);
    EXPECT_EQ(describe(MatmulLibrary::kOneDnn).rfind("oneDNN ", 0), 0u)
        << describe(MatmulLibrary::kOneDnn);
  } else {
    EXPECT_EQ(matmul_library("auto"), MatmulLibrary::kLibTorch);
    EXPECT_THROW(matmul_library("onednn"), ConfigError);
  }
}

}  // namespace
}  // namespace aelab
