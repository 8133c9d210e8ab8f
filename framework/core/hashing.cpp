// FNV-1a hashing.
#include "framework/core/hashing.h"

#include <cstdio>

namespace aelab {

uint64_t fnv1a64(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string short_hash(const std::string& text, size_t length) {
  char buffer[17];
  snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(fnv1a64(text)));
  return std::string(buffer).substr(0, length < 16 ? length : 16);
}

}  // namespace aelab
