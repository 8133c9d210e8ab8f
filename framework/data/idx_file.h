// Reader for IDX files (the MNIST family's format), gzip-compressed or plain.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace aelab {

/// An IDX array of unsigned bytes with its dimensions.
struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> bytes;
};

/// Reads `path` (gzip detected by its magic bytes). Throws DataError naming the file and what is
/// wrong: missing, not gzip-decodable, wrong magic, unsupported element type, truncated or with
/// trailing bytes.
/// With `expected_dims` > 0, a header with another number of dimensions is an error before
/// anything else is read.
IdxArray read_idx_file(const std::string& path, int expected_dims = 0);

/// The same from an open stream; `path` names it in errors.
IdxArray read_idx_stream(std::istream& in, const std::string& path, int expected_dims = 0);

/// `<folder>/<stem>` or `<folder>/<stem>.gz`, whichever exists; DataError when neither does.
std::string find_idx_file(const std::string& folder, const std::string& stem,
                          const std::string& config_key);

}  // namespace aelab
