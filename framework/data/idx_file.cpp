// IDX parsing with zlib for the gzip case.
#include "framework/data/idx_file.h"

#include <fmt/format.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "framework/core/error.h"

namespace aelab {
namespace {

/// The largest array aelab reads: 16 GiB, far above any dataset of this format.
constexpr uint64_t kMaxIdxBytes = uint64_t{16} << 30;

/// The bytes of a file, decompressed as they are asked for (gzip detected by its magic bytes),
/// so a header can be checked before the rest is decoded.
class ByteSource {
 public:
  ByteSource(std::istream& in, const std::string& path) : path_(path), in_(in) {
    char magic[2] = {0, 0};
    in_.read(magic, 2);
    gzip_ = in_.gcount() == 2 && uint8_t(magic[0]) == 0x1f && uint8_t(magic[1]) == 0x8b;
    in_.clear();
    in_.seekg(0);
    if (gzip_ && inflateInit2(&stream_, 15 + 32) != Z_OK)
      throw DataError(path + ": zlib init failed");
  }
  ~ByteSource() {
    if (gzip_) inflateEnd(&stream_);
  }
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  /// Appends up to `count` bytes to `out`; fewer only at the end of the data. Memory grows
  /// with the bytes found, not with `count`, so a header cannot make it allocate what the file
  /// does not hold.
  void read(std::vector<uint8_t>& out, uint64_t count) {
    uint64_t step_size = uint64_t{64} << 10;  // doubles up to 16 MiB
    while (count > 0) {
      const uint64_t step = std::min(count, step_size);
      step_size = std::min(step_size * 2, uint64_t{16} << 20);
      const size_t start = out.size();
      out.resize(start + step);
      const uint64_t got =
          gzip_ ? inflate_into(out.data() + start, step) : read_plain(out.data() + start, step);
      out.resize(start + got);
      if (got < step) return;
      count -= step;
    }
  }

  /// True when no byte is left (reads one byte ahead to know).
  bool at_end() {
    std::vector<uint8_t> probe;
    read(probe, 1);
    return probe.empty();
  }

 private:
  uint64_t read_plain(uint8_t* out, uint64_t count) {
    in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(count));
    return static_cast<uint64_t>(in_.gcount());
  }

  uint64_t inflate_into(uint8_t* out, uint64_t count) {
    uint64_t produced = 0;
    while (produced < count && !ended_) {
      if (stream_.avail_in == 0) {
        in_.read(reinterpret_cast<char*>(chunk_.data()),
                 static_cast<std::streamsize>(chunk_.size()));
        stream_.next_in = chunk_.data();
        stream_.avail_in = static_cast<uInt>(in_.gcount());
        if (stream_.avail_in == 0)
          throw DataError(path_ +
                          ": truncated gzip data; reinstall the dataset or replace the file");
      }
      const uint64_t wanted = std::min<uint64_t>(count - produced, 1u << 30);
      stream_.next_out = out + produced;
      stream_.avail_out = static_cast<uInt>(wanted);
      int status = inflate(&stream_, Z_NO_FLUSH);
      if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR)
        throw DataError(path_ + ": corrupt gzip data (" +
                        std::string(stream_.msg ? stream_.msg : "unexpected end") +
                        "); reinstall the dataset or replace the file");
      produced += wanted - stream_.avail_out;
      ended_ = status == Z_STREAM_END;
    }
    return produced;
  }

  std::string path_;
  std::istream& in_;
  bool gzip_ = false;
  bool ended_ = false;
  z_stream stream_{};
  std::vector<uint8_t> chunk_ = std::vector<uint8_t>(1 << 16);
};

/// The dimensions in an IDX header; DataError for a bad magic number, element type, a zero
/// dimension or a size beyond kMaxIdxBytes (products are checked before they can overflow).
std::vector<int64_t> read_header(ByteSource& source, const std::string& path, int expected_dims,
                                 uint64_t& count) {
  std::vector<uint8_t> head;
  source.read(head, 4);
  if (head.size() < 4 || head[0] != 0 || head[1] != 0)
    throw DataError(path + ": not an IDX file (bad magic number; expected 00 00 08 NN)");
  if (head[2] != 0x08)
    throw DataError(path + ": IDX element type " + fmt::format("0x{:02X}", head[2]) +
                    " is not supported (only unsigned bytes, 0x08: write pixels as uint8 "
                    "0..255 and labels as uint8, as numpy's astype(np.uint8) does)");
  const int ndim = head[3];
  if (ndim < 1) throw DataError(path + ": IDX header with 0 dimensions");
  if (expected_dims > 0 && ndim != expected_dims)
    throw DataError(path + ": expected " + std::to_string(expected_dims) + " dimension" +
                    (expected_dims > 1 ? "s (count, rows, columns)" : " (count)") + ", found " +
                    std::to_string(ndim));
  std::vector<uint8_t> sizes;
  source.read(sizes, 4u * ndim);
  if (sizes.size() < 4u * ndim) throw DataError(path + ": truncated IDX header");
  std::vector<int64_t> dims;
  count = 1;
  for (int i = 0; i < ndim; ++i) {
    const uint8_t* p = sizes.data() + 4 * i;
    const uint64_t dim =
        (uint64_t(p[0]) << 24) | (uint64_t(p[1]) << 16) | (uint64_t(p[2]) << 8) | p[3];
    if (dim == 0)
      throw DataError(path + ": IDX dimension " + std::to_string(i + 1) +
                      " is 0, an empty array; replace the file");
    if (count > kMaxIdxBytes / dim)
      throw DataError(path + ": IDX header claims more than " + std::to_string(kMaxIdxBytes >> 30) +
                      " GiB of data (corrupt header?)");
    count *= dim;
    dims.push_back(static_cast<int64_t>(dim));
  }
  return dims;
}

}  // namespace

IdxArray read_idx_file(const std::string& path, int expected_dims) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open data file");
  return read_idx_stream(in, path, expected_dims);
}

IdxArray read_idx_stream(std::istream& in, const std::string& path, int expected_dims) {
  ByteSource source(in, path);
  uint64_t count = 0;
  IdxArray array;
  array.dims = read_header(source, path, expected_dims, count);
  source.read(array.bytes, count);  // never more than the header promised
  if (array.bytes.size() < count || !source.at_end())
    throw DataError(path + ": IDX header promises " + std::to_string(count) +
                    " bytes but the file " +
                    (array.bytes.size() < count
                         ? "is truncated with " + std::to_string(array.bytes.size()) + " bytes"
                         : std::string("has trailing data after them")) +
                    "; replace the file");
  return array;
}

std::string find_idx_file(const std::string& folder, const std::string& stem,
                          const std::string& config_key) {
  const std::string plain = folder + "/" + stem, gzipped = plain + ".gz";
  std::error_code ignored;
  const bool has_plain = std::filesystem::is_regular_file(plain, ignored);
  const bool has_gzipped = std::filesystem::is_regular_file(gzipped, ignored);
  if (has_plain && has_gzipped)
    throw DataError(config_key + ": " + folder + " has both " + stem + " and " + stem +
                    ".gz; remove one, so it is clear which is read");
  if (has_plain) return plain;
  if (has_gzipped) return gzipped;
  if (!std::filesystem::is_directory(folder, ignored))
    throw DataError(
        config_key + ": " + folder +
        (std::filesystem::exists(folder, ignored) ? ": not a folder" : ": no such folder") +
        " (set " + config_key + " to the folder that holds the IDX files)");
  throw DataError(config_key + ": " + folder + " has no " + stem + "[.gz] (set " + config_key +
                  " to the folder that holds the IDX files)");
}

}  // namespace aelab
