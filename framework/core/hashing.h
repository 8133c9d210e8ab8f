// Stable content hashes (run ids, cache keys): identical on every platform and version.
#pragma once

#include <cstdint>
#include <string>

namespace aelab {

/// 64-bit FNV-1a of the bytes of `text`.
uint64_t fnv1a64(const std::string& text);

/// First `length` hex digits of a 64-bit hash of `text` (at most 16).
std::string short_hash(const std::string& text, size_t length = 12);

/// A 64-bit hash of `bytes` bytes at `data`, for content keys of large arrays (a dataset's
/// hundreds of megabytes in a few tens of milliseconds): four lanes of 64-bit words, each
/// multiplied and rotated, mixed at the end with the length. Not cryptographic.
uint64_t content_hash64(const void* data, size_t bytes);

/// `hash` as `length` hex digits (at most 16).
std::string hex_digits(uint64_t hash, size_t length = 16);

}  // namespace aelab
