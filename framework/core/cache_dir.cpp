// The cache folder.
#include "framework/core/cache_dir.h"

#include <cstdlib>

namespace aelab {

std::string default_cache_dir() {
  if (const char* dir = std::getenv("AELAB_CACHE_DIR"); dir && *dir) return dir;
  if (const char* dir = std::getenv("XDG_CACHE_HOME"); dir && *dir)
    return std::string(dir) + "/aelab";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/aelab";
  return ".aelab-cache";
}

}  // namespace aelab
