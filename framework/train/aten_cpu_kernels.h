// Which of ATen's CPU kernels this process runs, for the passes that must give their bits
// (fused_sigmoid_mse, models/bernoulli_log_likelihood): those call the SLEEF functions ATen's AVX2
// kernels call, found in the loaded libsleef.
#pragma once

namespace aelab {

/// Whether ATen dispatches to its AVX2 kernels, as its build configuration reports its choice
/// ("CPU capability usage: AVX2"; LibTorch 2.x takes AVX-512 where the CPU has it, 1.13 only
/// when asked with ATEN_CPU_CAPABILITY), on a CPU with AVX2 and FMA.
bool aten_runs_avx2_kernels();

/// The address of SLEEF function `name` where it is a symbol of this process, else null.
void* loaded_sleef_function(const char* name);

}  // namespace aelab
