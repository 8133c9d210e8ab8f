// Stable content hashes (run ids, cache keys): identical on every platform and version.
#pragma once

#include <cstdint>
#include <string>

namespace aelab {

/// 64-bit FNV-1a of the bytes of `text`.
uint64_t fnv1a64(const std::string& text);

/// First `length` hex digits of a 64-bit hash of `text` (at most 16).
std::string short_hash(const std::string& text, size_t length = 12);

}  // namespace aelab
