// CIFAR-10's binary batch format (Krizhevsky 2009), without tensors: each record is one label
// byte and 3072 pixel bytes (the red, green and blue 32x32 planes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aelab {

constexpr int64_t kCifarSide = 32;
constexpr int64_t kCifarPixels = 3 * kCifarSide * kCifarSide;
constexpr int64_t kCifarRecord = 1 + kCifarPixels;

/// The records of one or more batches: labels 0..9 and their pixel planes, record by record.
struct CifarRecords {
  std::vector<uint8_t> labels;
  std::vector<uint8_t> pixels;  ///< labels.size() x 3072
};

/// Appends the records of one batch file's `bytes` to `out`. DataError naming `path` when the
/// size is not a whole number of records or a label is above 9.
void decode_cifar_batch(const std::vector<uint8_t>& bytes, const std::string& path,
                        CifarRecords& out);

}  // namespace aelab
