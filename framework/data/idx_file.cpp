// IDX parsing with zlib for the gzip case.
#include "framework/data/idx_file.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "framework/core/error.h"

namespace aelab {
namespace {

std::vector<uint8_t> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open data file");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& compressed, const std::string& path) {
  std::vector<uint8_t> out;
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 32) != Z_OK) throw DataError(path + ": zlib init failed");
  stream.next_in = const_cast<Bytef*>(compressed.data());
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::vector<uint8_t> chunk(1 << 20);
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = chunk.data();
    stream.avail_out = static_cast<uInt>(chunk.size());
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      inflateEnd(&stream);
      throw DataError(path + ": corrupt or truncated gzip data (" +
                      std::string(stream.msg ? stream.msg : "unexpected end") +
                      "); reinstall the dataset or replace the file");
    }
    out.insert(out.end(), chunk.data(), chunk.data() + (chunk.size() - stream.avail_out));
    if (status != Z_STREAM_END && stream.avail_in == 0 && stream.avail_out != 0) {
      inflateEnd(&stream);
      throw DataError(path + ": truncated gzip data; reinstall the dataset or replace the file");
    }
  }
  inflateEnd(&stream);
  return out;
}

}  // namespace

IdxArray read_idx_file(const std::string& path) {
  std::vector<uint8_t> raw = read_all(path);
  if (raw.size() >= 2 && raw[0] == 0x1f && raw[1] == 0x8b) raw = gunzip(raw, path);
  if (raw.size() < 4 || raw[0] != 0 || raw[1] != 0)
    throw DataError(path + ": not an IDX file (bad magic number; expected 00 00 08 NN)");
  if (raw[2] != 0x08)
    throw DataError(path + ": IDX element type 0x" + std::to_string(raw[2]) +
                    " is not supported (only unsigned bytes, 0x08)");
  int ndim = raw[3];
  if (ndim < 1 || raw.size() < 4u + 4u * ndim) throw DataError(path + ": truncated IDX header");
  IdxArray array;
  uint64_t count = 1;
  for (int i = 0; i < ndim; ++i) {
    const uint8_t* p = raw.data() + 4 + 4 * i;
    int64_t dim = (int64_t(p[0]) << 24) | (int64_t(p[1]) << 16) | (int64_t(p[2]) << 8) | p[3];
    array.dims.push_back(dim);
    count *= static_cast<uint64_t>(dim);
  }
  uint64_t offset = 4 + 4 * ndim;
  uint64_t available = raw.size() - offset;
  if (available != count) {
    throw DataError(path + ": IDX header promises " + std::to_string(count) +
                    " bytes but the file " +
                    (available < count ? "is truncated with " : "has trailing data, ") +
                    std::to_string(available) + " bytes; replace the file");
  }
  array.bytes.assign(raw.begin() + static_cast<std::ptrdiff_t>(offset), raw.end());
  return array;
}

std::string find_idx_file(const std::string& folder, const std::string& stem,
                          const std::string& config_key) {
  for (const std::string& name : {stem, stem + ".gz"}) {
    std::string candidate = folder + "/" + name;
    if (std::filesystem::is_regular_file(candidate)) return candidate;
  }
  throw DataError(config_key + ": " + folder + " has no " + stem + "[.gz] (set " + config_key +
                  " to the folder that holds the IDX files)");
}

}  // namespace aelab
