// Decoding CIFAR-10 batch records.
#include "framework/data/cifar10_batch.h"

#include "framework/core/error.h"

namespace aelab {

void decode_cifar_batch(const std::vector<uint8_t>& bytes, const std::string& path,
                        CifarRecords& out) {
  if (bytes.empty() || bytes.size() % kCifarRecord != 0)
    throw DataError(path + ": " + std::to_string(bytes.size()) +
                    " bytes is not a whole number of " + std::to_string(kCifarRecord) +
                    "-byte CIFAR-10 records (truncated or another file? replace it)");
  const size_t count = bytes.size() / kCifarRecord;
  out.labels.reserve(out.labels.size() + count);
  out.pixels.reserve(out.pixels.size() + count * kCifarPixels);
  for (size_t n = 0; n < count; ++n) {
    const uint8_t* record = bytes.data() + n * kCifarRecord;
    if (record[0] > 9)
      throw DataError(path + ": record " + std::to_string(n) + " has label " +
                      std::to_string(record[0]) + ", above 9; these are not CIFAR-10 files");
    out.labels.push_back(record[0]);
    out.pixels.insert(out.pixels.end(), record + 1, record + kCifarRecord);
  }
}

}  // namespace aelab
