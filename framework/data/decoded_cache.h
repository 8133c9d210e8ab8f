// Decoded IDX arrays kept once per machine: the first reader of a (usually gzipped) IDX file
// writes its raw bytes to `<cache>/decoded/<content hash>.idx`, a plain IDX file; every later
// reader (each worker of a sweep) memory-maps that file instead of decoding gzip again.
#pragma once

#include <torch/torch.h>

#include <string>

namespace aelab {

/// The unsigned-byte IDX array at `path` as a uint8 tensor of its dimensions, checked as
/// read_idx_file checks it. The cache entry is keyed by the bytes of `path`, so an edited or
/// replaced file is decoded afresh; it is written whole and renamed into place, and a cache
/// that cannot be written or a damaged entry only costs a decode. `cache_dir` "" means no cache.
torch::Tensor read_idx_tensor(const std::string& path, int expected_dims,
                              const std::string& cache_dir);

}  // namespace aelab
