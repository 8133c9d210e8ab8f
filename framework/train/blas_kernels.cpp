// The CPU BLAS and its kernels (see blas_kernels.h). OpenBLAS picks its kernels by CPU unless
// OPENBLAS_CORETYPE names them; the README's Speed section gives what each choice measured.
#include "framework/train/blas_kernels.h"

#include <ATen/Context.h>
#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "framework/core/suggest.h"

namespace aelab {
namespace {

/// A text function of the loaded OpenBLAS, or nullptr when LibTorch uses another BLAS.
using OpenblasTextGetter = char* (*)();
OpenblasTextGetter openblas_text_getter(const char* name) {
  return reinterpret_cast<OpenblasTextGetter>(dlsym(RTLD_DEFAULT, name));
}

std::string openblas_text(const char* name) {
  OpenblasTextGetter getter = openblas_text_getter(name);
  const char* text = getter ? getter() : nullptr;
  return text ? text : "";
}

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

bool reads_coretype(const std::string& config) {
  return config.find("DYNAMIC_ARCH") != std::string::npos;
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

/// The text before a " (" note.
std::string without_note(const std::string& text) { return text.substr(0, text.find(" (")); }

}  // namespace

std::string describe_openblas(const std::string& config, const std::string& core,
                              const std::string& coretype) {
  std::istringstream words(config);
  std::string name, version;
  words >> name >> version;
  const bool has_version = name == "OpenBLAS" && !version.empty() && std::isdigit(version[0]);
  std::string text = "OpenBLAS " + (has_version ? version + " " : std::string()) + core;
  if (!coretype.empty() && reads_coretype(config)) text += " (OPENBLAS_CORETYPE=" + coretype + ")";
  return text;
}

std::string blas_kernels() {
  const std::string core = openblas_text("openblas_get_corename");
  if (!core.empty())
    return describe_openblas(openblas_text("openblas_get_config"), core,
                             environment("OPENBLAS_CORETYPE"));
  return at::hasMKL() ? "MKL" : "unknown BLAS";
}

bool same_blas_kernels(const std::string& a, const std::string& b) {
  return a != "unknown BLAS" && !a.empty() && without_note(a) == without_note(b);
}

bool is_avx512_core(const std::string& core) {
  static const std::set<std::string> kAvx512Cores{"skylakex", "cooperlake", "sapphirerapids"};
  return kAvx512Cores.count(lowercase(core)) > 0;
}

std::string blas_core_note(const std::string& config, const std::string& core,
                           const std::string& coretype, bool cpu_has_avx512) {
  if (coretype.empty() || core.empty() || !reads_coretype(config) || !cpu_has_avx512 ||
      is_avx512_core(core))
    return "";
  return "OPENBLAS_CORETYPE=" + coretype + " holds OpenBLAS to its " + core +
         " kernels, without the AVX-512 this CPU has (unset it for OpenBLAS's own choice)";
}

std::string blas_core_note() {
  return blas_core_note(openblas_text("openblas_get_config"),
                        openblas_text("openblas_get_corename"), environment("OPENBLAS_CORETYPE"),
                        cpu_has_avx512());
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
