// Reads which CPU kernels ATen dispatches to from its build configuration.
#include "framework/train/aten_cpu_kernels.h"

#include <ATen/Version.h>
#include <dlfcn.h>

#include <string>

namespace aelab {

bool aten_runs_avx2_kernels() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx2 =
      at::show_config().find("CPU capability usage: AVX2\n") != std::string::npos &&
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return avx2;
#else
  return false;
#endif
}

void* loaded_sleef_function(const char* name) { return dlsym(RTLD_DEFAULT, name); }

}  // namespace aelab
