// HDF5 C API calls behind Hdf5File.
#include "framework/results/hdf5_file.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/results/hdf5_probe.h"
#include "framework/results/sealed_file.h"

namespace aelab {
namespace {

/// Silences HDF5's own error stack printing once: aelab reports errors itself.
void quiet_hdf5() {
  static bool done = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

void check(herr_t status, const std::string& what) {
  if (status < 0) throw Error("HDF5: " + what);
}

hid_t string_type() {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

/// Reads one string, variable-length or fixed-length, through `read(memory_type, buffer)` (an
/// H5Aread or H5Dread); nullopt unless `stored` is a string type and `space` holds one element.
template <class Read>
std::optional<std::string> read_one_string(hid_t stored, hid_t space, Read&& read) {
  if (H5Tget_class(stored) != H5T_STRING || H5Sget_simple_extent_npoints(space) != 1)
    return std::nullopt;
  std::optional<std::string> out;
  if (H5Tis_variable_str(stored) > 0) {
    char* data = nullptr;
    if (read(stored, &data) >= 0 && data) {
      out = std::string(data);
      H5free_memory(data);
    }
    return out;
  }
  std::string buffer(H5Tget_size(stored), '\0');
  if (read(stored, buffer.data()) >= 0) out = buffer.substr(0, buffer.find('\0'));
  return out;
}

/// The non-empty parts of an HDF5 path (`/a//b/` gives a, b).
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  for (auto& part : split(path, '/'))
    if (!part.empty()) parts.push_back(std::move(part));
  return parts;
}

}  // namespace

Hdf5File Hdf5File::create(const std::string& path) {
  quiet_hdf5();
  hid_t properties = H5Pcreate(H5P_FILE_CREATE);
  H5Pset_userblock(properties, kSealBlockBytes);  // room for the seal written once it is closed
  hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, properties, H5P_DEFAULT);
  H5Pclose(properties);
  if (id < 0) throw Error(path + ": cannot create HDF5 file (is the folder writable?)");
  return Hdf5File(id, path);
}

Hdf5File Hdf5File::open_read(const std::string& path) {
  quiet_hdf5();
  if (!seal_holds(path)) check_readable_in_child(path);
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw DataError(path + ": not a readable HDF5 file");
  return Hdf5File(id, path);
}

Hdf5File::Hdf5File(Hdf5File&& other) noexcept : id_(other.id_), path_(std::move(other.path_)) {
  other.id_ = -1;
}

Hdf5File::~Hdf5File() {
  if (id_ >= 0) H5Fclose(id_);
}

void Hdf5File::close() {
  if (id_ < 0) return;
  herr_t status = H5Fclose(id_);
  id_ = -1;
  check(status, "closing " + path_);
}

void Hdf5File::write_scalar_attribute(const std::string& name, hid_t file_type, hid_t memory_type,
                                      const void* value) {
  hid_t space = H5Screate(H5S_SCALAR);
  if (H5Aexists(id_, name.c_str()) > 0) H5Adelete(id_, name.c_str());
  hid_t attribute = H5Acreate2(id_, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT);
  herr_t status = attribute < 0 ? -1 : H5Awrite(attribute, memory_type, value);
  if (attribute >= 0) H5Aclose(attribute);
  H5Sclose(space);
  check(status, "writing attribute " + name + " to " + path_);
}

void Hdf5File::set_attribute(const std::string& name, const std::string& value) {
  hid_t type = string_type();
  const char* data = value.c_str();
  try {
    write_scalar_attribute(name, type, type, &data);
  } catch (...) {
    H5Tclose(type);
    throw;
  }
  H5Tclose(type);
}

void Hdf5File::set_attribute(const std::string& name, int64_t value) {
  write_scalar_attribute(name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void Hdf5File::set_attribute(const std::string& name, double value) {
  write_scalar_attribute(name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

std::optional<std::string> Hdf5File::string_attribute(const std::string& name) const {
  if (H5Aexists(id_, name.c_str()) <= 0) return std::nullopt;
  hid_t attribute = H5Aopen(id_, name.c_str(), H5P_DEFAULT);
  if (attribute < 0) throw DataError(path_ + ": cannot open attribute '" + name + "'");
  hid_t stored = H5Aget_type(attribute);
  hid_t space = H5Aget_space(attribute);
  std::optional<std::string> out = read_one_string(
      stored, space, [&](hid_t type, void* buffer) { return H5Aread(attribute, type, buffer); });
  H5Sclose(space);
  H5Tclose(stored);
  H5Aclose(attribute);
  return out;
}

std::optional<double> Hdf5File::number_attribute(const std::string& name) const {
  if (H5Aexists(id_, name.c_str()) <= 0) return std::nullopt;
  hid_t attribute = H5Aopen(id_, name.c_str(), H5P_DEFAULT);
  if (attribute < 0) throw DataError(path_ + ": cannot open attribute '" + name + "'");
  double value = 0;
  herr_t status = H5Aread(attribute, H5T_NATIVE_DOUBLE, &value);
  H5Aclose(attribute);
  if (status < 0) return std::nullopt;
  return value;
}

void Hdf5File::ensure_parent_groups(const std::string& path) {
  auto parts = split_path(path);
  std::string walked;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    walked += "/" + parts[i];
    if (H5Lexists(id_, walked.c_str(), H5P_DEFAULT) <= 0) {
      hid_t group = H5Gcreate2(id_, walked.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      if (group < 0) throw Error("HDF5: cannot create group " + walked + " in " + path_);
      H5Gclose(group);
    }
  }
}

void Hdf5File::write_doubles(const std::string& path, const std::vector<double>& values,
                             const std::vector<uint64_t>& shape) {
  ensure_parent_groups(path);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  hid_t space = dims.empty()
                    ? H5Screate(H5S_SCALAR)
                    : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  hid_t dataset =
      H5Dcreate2(id_, path.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  herr_t status = dataset < 0 ? -1
                              : H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                         values.data());
  if (dataset >= 0) H5Dclose(dataset);
  H5Sclose(space);
  check(status, "writing dataset " + path + " to " + path_);
}

void Hdf5File::write_bytes(const std::string& path, const std::vector<uint8_t>& values,
                           const std::vector<uint64_t>& shape) {
  ensure_parent_groups(path);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  hid_t dataset =
      H5Dcreate2(id_, path.c_str(), H5T_STD_U8LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  herr_t status = dataset < 0 ? -1
                              : H5Dwrite(dataset, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                         values.data());
  if (dataset >= 0) H5Dclose(dataset);
  H5Sclose(space);
  check(status, "writing dataset " + path + " to " + path_);
}

void Hdf5File::write_string(const std::string& path, const std::string& value) {
  ensure_parent_groups(path);
  hid_t type = string_type();
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t dataset = H5Dcreate2(id_, path.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const char* data = value.c_str();
  herr_t status = dataset < 0 ? -1 : H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &data);
  if (dataset >= 0) H5Dclose(dataset);
  H5Sclose(space);
  H5Tclose(type);
  check(status, "writing dataset " + path + " to " + path_);
}

std::optional<std::string> Hdf5File::read_string(const std::string& path) const {
  if (!exists(path)) return std::nullopt;
  hid_t dataset = H5Dopen2(id_, path.c_str(), H5P_DEFAULT);
  hid_t stored = H5Dget_type(dataset);
  hid_t space = H5Dget_space(dataset);
  std::optional<std::string> out = read_one_string(stored, space, [&](hid_t type, void* buffer) {
    return H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
  });
  H5Sclose(space);
  H5Tclose(stored);
  H5Dclose(dataset);
  if (!out)
    throw DataError(path_ + ": " + path +
                    " is not one string (write it as a scalar string dataset, as h5py does for "
                    "f[path] = 'text')");
  return out;
}

bool Hdf5File::exists(const std::string& path) const {
  std::string walked;
  for (const auto& part : split_path(path)) {
    walked += "/" + part;
    if (H5Lexists(id_, walked.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return H5Oexists_by_name(id_, path.c_str(), H5P_DEFAULT) > 0;
}

std::vector<uint64_t> Hdf5File::shape(const std::string& path) const {
  hid_t dataset = H5Dopen2(id_, path.c_str(), H5P_DEFAULT);
  if (dataset < 0) throw DataError(path_ + ": no dataset " + path);
  hid_t space = H5Dget_space(dataset);
  int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(std::max(rank, 0));
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  H5Sclose(space);
  H5Dclose(dataset);
  return std::vector<uint64_t>(dims.begin(), dims.end());
}

void Hdf5File::read_into(const std::string& path, hid_t memory_type, void* buffer,
                         const char* as) const {
  hid_t dataset = H5Dopen2(id_, path.c_str(), H5P_DEFAULT);
  if (dataset < 0) throw DataError(path_ + ": cannot open dataset " + path);
  herr_t status = H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
  H5Dclose(dataset);
  if (status < 0) throw DataError(path_ + ": cannot read " + path + " as " + as);
}

uint64_t Hdf5File::element_count(const std::string& path) const {
  // Sizes come from the file: a damaged or hostile one must not ask for terabytes.
  constexpr uint64_t kMaxElements = uint64_t{1} << 32;
  uint64_t count = 1;
  for (auto dim : shape(path)) {
    if (dim != 0 && count > kMaxElements / dim)
      throw DataError(path_ + ": dataset " + path + " claims more than 2^32 elements (damaged?)");
    count *= dim;
  }
  return count;
}

std::optional<std::vector<double>> Hdf5File::read_doubles(const std::string& path) const {
  if (!exists(path)) return std::nullopt;
  std::vector<double> values(element_count(path));
  read_into(path, H5T_NATIVE_DOUBLE, values.data(), "numbers");
  return values;
}

std::optional<std::vector<uint8_t>> Hdf5File::read_bytes(const std::string& path) const {
  if (!exists(path)) return std::nullopt;
  std::vector<uint8_t> values(element_count(path));
  read_into(path, H5T_NATIVE_UINT8, values.data(), "bytes");
  return values;
}

std::vector<std::string> Hdf5File::members(const std::string& group_path) const {
  std::vector<std::string> names;
  if (!exists(group_path) && group_path != "/") return names;
  hid_t group = H5Gopen2(id_, group_path.c_str(), H5P_DEFAULT);
  if (group < 0)  // the link is there: the group's header is damaged, or it is no group
    throw DataError(path_ + ": cannot open group " + group_path);
  H5G_info_t info;
  if (H5Gget_info(group, &info) < 0) {
    H5Gclose(group);
    throw DataError(path_ + ": cannot list group " + group_path);
  }
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t size =
        H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (size < 0) {
      H5Gclose(group);
      throw DataError(path_ + ": cannot read the names in group " + group_path);
    }
    std::string name(static_cast<size_t>(size), '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), size + 1,
                       H5P_DEFAULT);
    names.push_back(name);
  }
  H5Gclose(group);
  std::sort(names.begin(), names.end());
  return names;
}

void Hdf5File::link_external(const std::string& link_path, const std::string& target_file,
                             const std::string& object_path) {
  ensure_parent_groups(link_path);
  check(H5Lcreate_external(target_file.c_str(), object_path.c_str(), id_, link_path.c_str(),
                           H5P_DEFAULT, H5P_DEFAULT),
        "linking " + link_path + " in " + path_);
}

}  // namespace aelab
