// FNV-1a hashing.
#include "framework/core/hashing.h"

#include <cstdio>
#include <cstring>

namespace aelab {

uint64_t fnv1a64(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string hex_digits(uint64_t hash, size_t length) {
  char buffer[17];
  snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(hash));
  return std::string(buffer).substr(0, length < 16 ? length : 16);
}

std::string short_hash(const std::string& text, size_t length) {
  return hex_digits(fnv1a64(text), length);
}

namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;

uint64_t rotate_left(uint64_t x, int bits) { return (x << bits) | (x >> (64 - bits)); }

uint64_t lane_step(uint64_t lane, uint64_t word) {
  return rotate_left(lane + word * kPrime2, 31) * kPrime1;
}

/// The last bits of `x` spread over all 64 (a final avalanche).
uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= kPrime2;
  x ^= x >> 29;
  x *= kPrime1;
  return x ^ (x >> 32);
}

}  // namespace

uint64_t content_hash64(const void* data, size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t lanes[4] = {kPrime1 + kPrime2, kPrime2, 0, 0 - kPrime1};
  size_t i = 0;
  for (; i + 32 <= bytes; i += 32)
    for (int k = 0; k < 4; ++k) {
      uint64_t word;
      std::memcpy(&word, p + i + 8 * k, 8);
      lanes[k] = lane_step(lanes[k], word);
    }
  uint64_t hash = rotate_left(lanes[0], 1) + rotate_left(lanes[1], 7) + rotate_left(lanes[2], 12) +
                  rotate_left(lanes[3], 18) + bytes;
  for (; i < bytes; ++i) hash = rotate_left(hash ^ (p[i] * kPrime1), 11) * kPrime2;
  return mix(hash);
}

}  // namespace aelab
