// A seal on the files aelab writes (run files, summaries, PCA caches): a checksum of the HDF5
// contents, in the 512-byte block HDF5 leaves to its user at the start of the file (h5py and
// h5dump skip it). A file changed after it was written, damaged or edited with h5py, is known
// before HDF5 reads a byte of it, so that it can be read apart first: some damage makes libhdf5
// 1.10 loop forever (a zeroed global heap).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

namespace aelab {

/// A file as it stands: its path, size and time of change, under which a verdict on its contents
/// is kept while it does not change.
using FileState = std::tuple<std::string, uintmax_t, int64_t>;

/// The state of the file at `path`; nullopt where it cannot be read.
std::optional<FileState> file_state(const std::string& path);

/// The size of the block before the HDF5 contents that holds the seal.
inline constexpr uint64_t kSealBlockBytes = 512;

/// Writes the seal of the closed HDF5 file at `path` (created with a kSealBlockBytes user block);
/// Error when it cannot.
void seal_file(const std::string& path);

/// Whether the file at `path` is as it was sealed; true for a file without a seal (written
/// before seals, or by another tool). False also for a file that another tool changed since
/// (h5py adding an attribute), which is not damaged: Hdf5File::open_read reads it in a child
/// first. Known once per process for each file, its size and its time of change.
bool seal_holds(const std::string& path);

}  // namespace aelab
