// The seal's checksum: 64-bit words, each mixed in as in xxHash's rounds (a multiply and a
// rotation), so a changed, zeroed or moved word changes the sum; about 5 GB/s, under the cost
// of reading the file.
#include "framework/results/sealed_file.h"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "framework/core/error.h"

namespace aelab {
namespace {

constexpr char kSealMark[] = "aelab seal 1: checksum ";
constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ull, kPrime2 = 0xC2B2AE3D27D4EB4Full;

uint64_t rotate_left(uint64_t x, int bits) { return (x << bits) | (x >> (64 - bits)); }

/// The checksum of the bytes of `in` from where it stands to its end, and their count.
std::pair<uint64_t, uint64_t> checksum_of_rest(std::istream& in) {
  uint64_t sum = kPrime2, count = 0;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const size_t got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    std::memset(buffer.data() + got, 0, (8 - got % 8) % 8);  // a last partial word, zero-padded
    for (size_t at = 0; at < got; at += 8) {
      uint64_t word;
      std::memcpy(&word, buffer.data() + at, 8);
      sum = rotate_left(sum ^ (word * kPrime1), 31) * kPrime2;
    }
    count += got;
  }
  return {sum ^ count, count};
}

std::string seal_text(uint64_t sum, uint64_t size) {
  return fmt::format("{}{:016x} of {} bytes after this block\n", kSealMark, sum, size);
}

}  // namespace

std::optional<FileState> file_state(const std::string& path) {
  std::error_code unknown;
  const uintmax_t bytes = std::filesystem::file_size(path, unknown);
  if (unknown) return std::nullopt;
  const auto changed = std::filesystem::last_write_time(path, unknown).time_since_epoch().count();
  if (unknown) return std::nullopt;
  return FileState{path, bytes, static_cast<int64_t>(changed)};
}

void seal_file(const std::string& path) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!file) throw Error(path + ": cannot open the file to seal it");
  file.seekg(static_cast<std::streamoff>(kSealBlockBytes));
  const auto [sum, size] = checksum_of_rest(file);
  std::error_code unknown;
  if (file.bad() || size + kSealBlockBytes != std::filesystem::file_size(path, unknown))
    throw Error(path + ": cannot read the file back to seal it");
  file.clear();
  const std::string seal = seal_text(sum, size);
  file.seekp(0);
  file.write(seal.data(), static_cast<std::streamsize>(seal.size()));
  file.flush();
  if (!file) throw Error(path + ": cannot write its seal");
}

bool seal_holds(const std::string& path) {
  // Each file once per process, unless it changes: a summary read then a whole read, or
  // --reproduce's status then run, sum it once.
  static std::mutex mutex;
  static std::map<FileState, bool> known;
  const std::optional<FileState> state = file_state(path);
  if (!state) return true;  // HDF5 says why it cannot open it
  const FileState& key = *state;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto found = known.find(key); found != known.end()) return found->second;
  }
  std::ifstream file(path, std::ios::binary);
  std::string block(kSealBlockBytes, '\0');
  file.read(block.data(), static_cast<std::streamsize>(block.size()));
  bool holds = true;  // no seal: a file of another tool, or of before seals
  if (file && block.rfind(kSealMark, 0) == 0) {
    const auto [sum, size] = checksum_of_rest(file);
    const std::string seal = seal_text(sum, size);
    holds = !file.bad() && block.compare(0, seal.size(), seal) == 0;
  }
  std::lock_guard<std::mutex> lock(mutex);
  return known[key] = holds;
}

}  // namespace aelab
