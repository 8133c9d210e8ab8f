// Which BLAS LibTorch computes with, and which of its kernels: a run's products (and so its
// numbers and its speed) depend on both. OpenBLAS picks its kernels by CPU, unless the
// environment names them with OPENBLAS_CORETYPE; on a 2-core AMD EPYC of CPU family 26 its
// AVX-512 kernels (Cooperlake, its own pick) ran float32 products at 199 GFLOP/s on one thread,
// its AVX2 ones (OPENBLAS_CORETYPE=Haswell) at 106.
#pragma once

#include <string>

namespace aelab {

/// The BLAS and its kernels, for a run's provenance: "OpenBLAS 0.3.21 Cooperlake",
/// "OpenBLAS 0.3.21 Haswell (OPENBLAS_CORETYPE=Haswell)", or "" when LibTorch does not use
/// OpenBLAS (a CUDA build's MKL).
std::string blas_kernels();

/// Whether an OpenBLAS core name is one of its AVX-512 cores.
bool is_avx512_core(const std::string& core);

/// A line for the sweep's start when OPENBLAS_CORETYPE holds OpenBLAS to `core`, a core without
/// AVX-512, on a CPU that has it (`coretype`: the variable's value, "" when unset); else "".
std::string blas_core_note(const std::string& core, const std::string& coretype,
                           bool cpu_has_avx512);

/// blas_core_note for this process.
std::string blas_core_note();

/// A warning when LibTorch computes with the slow reference BLAS, else "".
std::string blas_warning();

}  // namespace aelab
