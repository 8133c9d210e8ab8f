// The BLAS and its kernels (see blas_kernels.h).
#include "framework/train/blas_kernels.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

namespace aelab {
namespace {

/// A function of the loaded OpenBLAS, or nullptr: LibTorch may use another BLAS.
using OpenblasText = char* (*)();
OpenblasText openblas_function(const char* name) {
  return reinterpret_cast<OpenblasText>(dlsym(RTLD_DEFAULT, name));
}

/// "0.3.21" from OpenBLAS's configuration line "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell ...".
std::string second_word(const std::string& text) {
  size_t start = text.find(' ');
  if (start == std::string::npos) return "";
  size_t end = text.find(' ', start + 1);
  return text.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
}

bool cpu_has_avx512() {
#if defined(__x86_64__) && defined(__GNUC__)
  // The subsets OpenBLAS's SkylakeX kernels use; __builtin_cpu_supports also checks that the
  // OS saves the AVX-512 registers.
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl");
#else
  return false;
#endif
}

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

/// OpenBLAS's core name, or "" when LibTorch does not use OpenBLAS.
std::string openblas_core() {
  OpenblasText corename = openblas_function("openblas_get_corename");
  return corename ? corename() : "";
}

}  // namespace

std::string blas_kernels() {
  OpenblasText config = openblas_function("openblas_get_config");
  const std::string core = openblas_core();
  if (!config || core.empty()) return "";
  std::string text = "OpenBLAS " + second_word(config()) + " " + core;
  if (std::string coretype = environment("OPENBLAS_CORETYPE"); !coretype.empty())
    text += " (OPENBLAS_CORETYPE=" + coretype + ")";
  return text;
}

bool is_avx512_core(const std::string& core) {
  static const std::set<std::string> kAvx512Cores{"SkylakeX", "Cooperlake", "SapphireRapids"};
  return kAvx512Cores.count(core) > 0;
}

std::string blas_core_note(const std::string& core, const std::string& coretype,
                           bool cpu_has_avx512) {
  if (coretype.empty() || core.empty() || !cpu_has_avx512 || is_avx512_core(core)) return "";
  return "OPENBLAS_CORETYPE=" + coretype + " holds OpenBLAS to its " + core +
         " kernels, without the AVX-512 this CPU has (unset it for OpenBLAS's own choice)";
}

std::string blas_core_note() {
  return blas_core_note(openblas_core(), environment("OPENBLAS_CORETYPE"), cpu_has_avx512());
}

std::string blas_warning() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    size_t slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    if (path.find("libblas.so") == std::string::npos) continue;
    std::error_code error;
    std::string real = std::filesystem::canonical(path, error).string();
    if (!error && real.find("openblas") == std::string::npos &&
        real.find("mkl") == std::string::npos && real.find("blis") == std::string::npos) {
      return "LibTorch is using the reference BLAS (" + real +
             "), about 6x slower; install libopenblas0-openmp (tools/install_deps.sh does)";
    }
  }
  return "";
}

}  // namespace aelab
