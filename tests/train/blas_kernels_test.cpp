// The BLAS a run records, when two records name the same kernels, and the note when
// OPENBLAS_CORETYPE holds back an AVX-512 CPU.
#include "framework/train/blas_kernels.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace aelab {
namespace {

const char kDynamic[] =
    "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY USE_OPENMP Haswell MAX_THREADS=64";
const char kFixed[] = "OpenBLAS 0.3.26  USE64BITINT NO_AFFINITY SKYLAKEX MAX_THREADS=64";

TEST(BlasKernels, DescribesTheVersionTheCoreAndAVariableTheOpenblasReads) {
  EXPECT_EQ(describe_openblas(kDynamic, "Haswell", ""), "OpenBLAS 0.3.21 Haswell");
  EXPECT_EQ(describe_openblas(kDynamic, "Haswell", "Haswell"),
            "OpenBLAS 0.3.21 Haswell (OPENBLAS_CORETYPE=Haswell)");
  // A build for one CPU ignores the variable; a line without the version names none.
  EXPECT_EQ(describe_openblas(kFixed, "SKYLAKEX", "Haswell"), "OpenBLAS 0.3.26 SKYLAKEX");
  EXPECT_EQ(describe_openblas("NO_LAPACKE DYNAMIC_ARCH Zen", "Zen", ""), "OpenBLAS Zen");
  EXPECT_EQ(describe_openblas("", "Zen", ""), "OpenBLAS Zen");
}

TEST(BlasKernels, ThisProcessNamesItsOpenblasOrSaysItHasNone) {
  const std::string kernels = blas_kernels();
  auto corename = reinterpret_cast<char* (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (!corename) {  // a CUDA build's LibTorch brings MKL
    EXPECT_TRUE(kernels == "MKL" || kernels == "unknown BLAS") << kernels;
    return;
  }
  auto config = reinterpret_cast<char* (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
  ASSERT_NE(config, nullptr);
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  EXPECT_EQ(kernels, describe_openblas(config(), corename(), coretype ? coretype : ""));
  EXPECT_EQ(kernels.rfind("OpenBLAS 0.", 0), 0u) << kernels;
}

TEST(BlasKernels, TheSameCoreIsTheSameKernelsWhoeverChoseIt) {
  EXPECT_TRUE(same_blas_kernels("OpenBLAS 0.3.21 SkylakeX",
                                "OpenBLAS 0.3.21 SkylakeX (OPENBLAS_CORETYPE=SkylakeX)"));
  EXPECT_FALSE(same_blas_kernels("OpenBLAS 0.3.21 Haswell (OPENBLAS_CORETYPE=Haswell)",
                                 "OpenBLAS 0.3.21 Cooperlake"));
  EXPECT_FALSE(same_blas_kernels("OpenBLAS 0.3.21 Haswell", "OpenBLAS 0.3.26 Haswell"));
  EXPECT_TRUE(same_blas_kernels("MKL", "MKL"));
  EXPECT_FALSE(same_blas_kernels("unknown BLAS", "unknown BLAS"));
  EXPECT_FALSE(same_blas_kernels("", ""));  // a run file from before the attribute
}

TEST(BlasKernels, NotesOnlyAVariableThatHoldsAnAvx512CpuToAvx2Kernels) {
  EXPECT_TRUE(is_avx512_core("SkylakeX"));
  EXPECT_TRUE(is_avx512_core("COOPERLAKE"));
  EXPECT_FALSE(is_avx512_core("Haswell"));
  EXPECT_FALSE(is_avx512_core("Zen"));
  EXPECT_EQ(blas_core_note(kDynamic, "Haswell", "Haswell", true),
            "OPENBLAS_CORETYPE=Haswell holds OpenBLAS to its Haswell kernels, without the "
            "AVX-512 this CPU has (unset it for OpenBLAS's own choice)");
  EXPECT_EQ(blas_core_note(kDynamic, "Haswell", "", true), "");          // its own choice
  EXPECT_EQ(blas_core_note(kDynamic, "Haswell", "Haswell", false), "");  // no AVX-512 to use
  EXPECT_EQ(blas_core_note(kDynamic, "SkylakeX", "SkylakeX", true), "");
  EXPECT_EQ(blas_core_note(kFixed, "HASWELL", "Haswell", true), "");  // it ignores the variable
  EXPECT_EQ(blas_core_note("", "", "Haswell", true), "");             // not OpenBLAS
}

}  // namespace
}  // namespace aelab
