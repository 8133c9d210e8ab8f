// The BLAS a run records, and the note when OPENBLAS_CORETYPE holds back an AVX-512 CPU.
#include "framework/train/blas_kernels.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace aelab {
namespace {

TEST(BlasKernels, NamesTheLoadedOpenblasItsCoreAndTheVariableThatChoseIt) {
  auto corename = reinterpret_cast<char* (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  ASSERT_NE(corename, nullptr) << "LibTorch here does not use OpenBLAS (tools/install_deps.sh)";
  const std::string kernels = blas_kernels();
  EXPECT_EQ(kernels.rfind("OpenBLAS 0.", 0), 0u) << kernels;
  const std::string core = corename();
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  const std::string expected_end =
      " " + core + (coretype ? " (OPENBLAS_CORETYPE=" + std::string(coretype) + ")" : "");
  ASSERT_GE(kernels.size(), expected_end.size());
  EXPECT_EQ(kernels.substr(kernels.size() - expected_end.size()), expected_end) << kernels;
}

TEST(BlasKernels, NotesOnlyAVariableThatHoldsAnAvx512CpuToAvx2Kernels) {
  EXPECT_TRUE(is_avx512_core("SkylakeX"));
  EXPECT_TRUE(is_avx512_core("Cooperlake"));
  EXPECT_FALSE(is_avx512_core("Haswell"));
  EXPECT_FALSE(is_avx512_core("Zen"));
  EXPECT_EQ(blas_core_note("Haswell", "Haswell", true),
            "OPENBLAS_CORETYPE=Haswell holds OpenBLAS to its Haswell kernels, without the "
            "AVX-512 this CPU has (unset it for OpenBLAS's own choice)");
  EXPECT_EQ(blas_core_note("Haswell", "", true), "");          // OpenBLAS's own choice
  EXPECT_EQ(blas_core_note("Haswell", "Haswell", false), "");  // no AVX-512 to use
  EXPECT_EQ(blas_core_note("SkylakeX", "SkylakeX", true), "");
  EXPECT_EQ(blas_core_note("", "Haswell", true), "");  // not OpenBLAS
}

}  // namespace
}  // namespace aelab
