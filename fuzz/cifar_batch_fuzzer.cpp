// Fuzzes the CIFAR-10 batch decoder: any bytes give whole records with labels 0..9, or a
// DataError.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "framework/core/error.h"
#include "framework/data/cifar10_batch.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  aelab::CifarRecords records;
  try {
    aelab::decode_cifar_batch(std::vector<uint8_t>(data, data + size), "fuzz.bin", records);
    if (records.pixels.size() != records.labels.size() * aelab::kCifarPixels) std::abort();
    for (uint8_t label : records.labels)
      if (label > 9) std::abort();
  } catch (const aelab::DataError&) {
  }
  return 0;
}
