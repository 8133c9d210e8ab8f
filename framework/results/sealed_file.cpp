// The seal's checksum: 64-bit words, each mixed in as in xxHash's rounds (a multiply and a
// rotation), so a changed, zeroed or moved word changes the sum; about 5 GB/s, under the cost
// of reading the file.
#include "framework/results/sealed_file.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
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

void seal_file(const std::string& path) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!file) throw Error(path + ": cannot open the file to seal it");
  file.seekg(static_cast<std::streamoff>(kSealBlockBytes));
  const auto [sum, size] = checksum_of_rest(file);
  file.clear();
  const std::string seal = seal_text(sum, size);
  file.seekp(0);
  file.write(seal.data(), static_cast<std::streamsize>(seal.size()));
  file.flush();
  if (!file) throw Error(path + ": cannot write its seal");
}

bool seal_holds(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return true;  // HDF5 says why it cannot open it
  std::string head(sizeof(kSealMark) - 1, '\0');
  file.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (!file || head != kSealMark) return true;
  std::string recorded;
  std::getline(file, recorded);
  file.seekg(static_cast<std::streamoff>(kSealBlockBytes));
  const auto [sum, size] = checksum_of_rest(file);
  return kSealMark + recorded + "\n" == seal_text(sum, size);
}

}  // namespace aelab
