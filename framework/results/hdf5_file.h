// A small RAII layer over the HDF5 C API: files, nested groups, string/number attributes, float64,
// uint8 and string datasets, external links; HDF5 errors become aelab exceptions.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "framework/core/atomic_file.h"
#include "framework/results/sealed_file.h"

namespace aelab {

/// An open HDF5 file. Paths inside it are slash-separated (`/metrics/test/sse`).
class Hdf5File {
 public:
  /// Creates (truncating) a file for writing, with a user block for its seal (sealed_file.h).
  static Hdf5File create(const std::string& path);
  /// Opens an existing file read-only; throws DataError when it is not a readable HDF5 file, or
  /// when it changed since its seal and a child reading it whole hung or crashed (hdf5_probe.h).
  static Hdf5File open_read(const std::string& path);

  Hdf5File(Hdf5File&& other) noexcept;
  Hdf5File& operator=(Hdf5File&&) = delete;
  Hdf5File(const Hdf5File&) = delete;
  ~Hdf5File();

  void set_attribute(const std::string& name, const std::string& value);
  void set_attribute(const std::string& name, int64_t value);
  void set_attribute(const std::string& name, double value);
  std::optional<std::string> string_attribute(const std::string& name) const;
  std::optional<double> number_attribute(const std::string& name) const;

  /// Writes a float64 dataset of the given shape (empty shape: a scalar), creating groups.
  void write_doubles(const std::string& path, const std::vector<double>& values,
                     const std::vector<uint64_t>& shape);
  /// Writes a uint8 dataset (images), creating groups.
  void write_bytes(const std::string& path, const std::vector<uint8_t>& values,
                   const std::vector<uint64_t>& shape);
  /// Writes a scalar variable-length UTF-8 string dataset, creating groups.
  void write_string(const std::string& path, const std::string& value);
  /// Reads a string dataset of one element (variable- or fixed-length); nullopt when absent,
  /// DataError when it holds anything else.
  std::optional<std::string> read_string(const std::string& path) const;
  /// Reads a float64 dataset (any shape, flattened); nullopt when absent.
  std::optional<std::vector<double>> read_doubles(const std::string& path) const;
  /// Reads a uint8 dataset (images, flattened); nullopt when absent.
  std::optional<std::vector<uint8_t>> read_bytes(const std::string& path) const;
  /// Shape of a dataset; empty for a scalar.
  std::vector<uint64_t> shape(const std::string& path) const;
  bool exists(const std::string& path) const;
  /// Names of the members of a group, sorted.
  std::vector<std::string> members(const std::string& group_path) const;

  /// Adds an external link at `link_path` to object `object_path` in file `target_file`.
  void link_external(const std::string& link_path, const std::string& target_file,
                     const std::string& object_path);

  /// Flushes and closes; throws on failure (a destructor would only log).
  void close();

 private:
  Hdf5File(hid_t id, std::string path) : id_(id), path_(std::move(path)) {}
  void ensure_parent_groups(const std::string& path);
  /// Product of a dataset's dimensions.
  uint64_t element_count(const std::string& path) const;
  /// Reads a whole dataset into `buffer` converted to `memory_type`; `as` names it in errors.
  void read_into(const std::string& path, hid_t memory_type, void* buffer, const char* as) const;
  void write_scalar_attribute(const std::string& name, hid_t file_type, hid_t memory_type,
                              const void* value);
  hid_t id_ = -1;
  std::string path_;
};

/// Writes a file through `write` under a temporary name, seals it, and renames it into place, so
/// readers never see a half-written file, and find one damaged later.
template <class Writer>
void write_hdf5_atomically(const std::string& path, Writer&& write);

template <class Writer>
void write_hdf5_atomically(const std::string& path, Writer&& write) {
  std::string temporary = temporary_name_for(path);
  try {
    Hdf5File file = Hdf5File::create(temporary);
    write(file);
    file.close();
    seal_file(temporary);
  } catch (...) {
    discard_temporary(temporary);
    throw;
  }
  commit_temporary(temporary, path);
}

}  // namespace aelab
