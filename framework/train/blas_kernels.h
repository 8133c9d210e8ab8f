// Which CPU BLAS LibTorch computes with, and which of its kernels (they round every product).
#pragma once

#include <string>

namespace aelab {

/// How a run file names the BLAS: "OpenBLAS <version> <core>", plus " (OPENBLAS_CORETYPE=<v>)"
/// when that variable is set and the OpenBLAS reads it (a DYNAMIC_ARCH build). `config` is
/// openblas_get_config()'s line ("OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ... Haswell ...");
/// "OpenBLAS <core>" when it names no version.
std::string describe_openblas(const std::string& config, const std::string& core,
                              const std::string& coretype);

/// The BLAS and its kernels, for a run's provenance: describe_openblas of the loaded OpenBLAS,
/// else "MKL" or "unknown BLAS".
std::string blas_kernels();

/// Whether two blas_kernels() texts name the same kernels (OPENBLAS_CORETYPE aside: the same
/// core chosen by OpenBLAS or by the variable computes the same); never for "unknown BLAS".
bool same_blas_kernels(const std::string& a, const std::string& b);

/// Whether an OpenBLAS core name is one of its AVX-512 cores (any letter case).
bool is_avx512_core(const std::string& core);

/// A line for the sweep's start when OPENBLAS_CORETYPE holds OpenBLAS (`config`, `core`) to a
/// core without AVX-512 on a CPU that has it (`coretype`: the variable, "" when unset); else "".
std::string blas_core_note(const std::string& config, const std::string& core,
                           const std::string& coretype, bool cpu_has_avx512);

/// blas_core_note for this process.
std::string blas_core_note();

/// A warning when LibTorch computes with the slow reference BLAS, else "".
std::string blas_warning();

}  // namespace aelab
