// Fuzzes the IDX reader (plain and gzip): any bytes give an array whose size matches its header,
// or a DataError; never a crash or an allocation the header alone asked for.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "framework/core/error.h"
#include "framework/data/idx_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    aelab::IdxArray array = aelab::read_idx_stream(in, "fuzz.idx");
    uint64_t count = 1;
    for (int64_t dim : array.dims) count *= static_cast<uint64_t>(dim);
    if (array.dims.empty() || count != array.bytes.size()) std::abort();
  } catch (const aelab::DataError&) {
  }
  return 0;
}
