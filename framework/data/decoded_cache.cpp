// The decoded-IDX cache: content-keyed plain IDX files, memory-mapped.
#include "framework/data/decoded_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "framework/core/atomic_file.h"
#include "framework/core/error.h"
#include "framework/core/hashing.h"
#include "framework/data/idx_file.h"

namespace aelab {
namespace {

/// The bytes of `path`; DataError when it cannot be read.
std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw DataError(path + ": cannot open data file");
  std::string bytes(static_cast<size_t>(in.tellg()), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    throw DataError(path + ": cannot read data file");
  return bytes;
}

/// A read-only view of a cache entry mapped into memory; unmapped when its tensor is freed.
struct MappedFile {
  void* data = nullptr;
  size_t size = 0;
};

std::optional<MappedFile> map_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat info {};
  if (::fstat(fd, &info) != 0 || info.st_size < 8) {
    ::close(fd);
    return std::nullopt;
  }
  const size_t size = static_cast<size_t>(info.st_size);
  // Private and writable: a caller that writes into the tensor changes its own copy only.
  void* data = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (data == MAP_FAILED) return std::nullopt;
  return MappedFile{data, size};
}

/// The tensor over a mapped entry, or an undefined tensor when the entry is not a whole plain
/// IDX file of `expected_dims` dimensions (a damaged entry is decoded again).
torch::Tensor tensor_over(const MappedFile& file, int expected_dims) {
  const auto* bytes = static_cast<const uint8_t*>(file.data);
  const int ndim = bytes[3];
  const size_t header = 4 + 4 * static_cast<size_t>(ndim);
  if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || ndim != expected_dims ||
      file.size < header)
    return {};
  std::vector<int64_t> dims;
  size_t count = 1;
  for (int i = 0; i < ndim; ++i) {
    const uint8_t* d = bytes + 4 + 4 * i;
    dims.push_back((int64_t(d[0]) << 24) | (int64_t(d[1]) << 16) | (int64_t(d[2]) << 8) | d[3]);
    count *= static_cast<size_t>(dims.back());
  }
  if (file.size != header + count) return {};
  MappedFile owned = file;
  return torch::from_blob(
      static_cast<uint8_t*>(file.data) + header, dims,
      [owned](void*) { ::munmap(owned.data, owned.size); }, torch::kUInt8);
}

/// Writes `array` as a plain IDX file at `path`, whole or not at all.
void write_entry(const IdxArray& array, const std::string& path) {
  write_file_atomically(path, [&](std::ostream& out) {
    const char magic[4] = {0, 0, 0x08, static_cast<char>(array.dims.size())};
    out.write(magic, 4);
    for (int64_t dim : array.dims) {
      const char be[4] = {char(dim >> 24), char(dim >> 16), char(dim >> 8), char(dim)};
      out.write(be, 4);
    }
    out.write(reinterpret_cast<const char*>(array.bytes.data()),
              static_cast<std::streamsize>(array.bytes.size()));
  });
}

}  // namespace

torch::Tensor read_idx_tensor(const std::string& path, int expected_dims,
                              const std::string& cache_dir) {
  const std::string bytes = read_bytes(path);
  // Only gzip is worth caching: a plain file is read as fast as its cached copy would be.
  const bool gzipped = bytes.size() >= 2 && uint8_t(bytes[0]) == 0x1f && uint8_t(bytes[1]) == 0x8b;
  const std::string entry =
      cache_dir.empty() || !gzipped ? "" : cache_dir + "/decoded/" + short_hash(bytes, 16) + ".idx";
  if (!entry.empty()) {
    if (auto mapped = map_file(entry)) {
      torch::Tensor cached = tensor_over(*mapped, expected_dims);
      if (cached.defined()) return cached;
      ::munmap(mapped->data, mapped->size);
    }
  }
  std::istringstream in(bytes);
  IdxArray array = read_idx_stream(in, path, expected_dims);
  if (!entry.empty()) {
    try {
      write_entry(array, entry);
    } catch (const std::exception&) {
      // A read-only or full cache folder: this job decoded the file itself, as before.
    }
  }
  return torch::from_blob(array.bytes.data(), array.dims, torch::kUInt8).clone();
}

}  // namespace aelab
