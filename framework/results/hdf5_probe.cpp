// Reading a changed HDF5 file whole in a forked child, timed by the parent.
#include "framework/results/hdf5_probe.h"

#include <fmt/format.h>
#include <hdf5.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "framework/core/error.h"

namespace aelab {
namespace {

/// Reads `count` elements of `type` through `read(type, buffer)`; variable-length data is left
/// allocated, as the child ends at once.
template <class Read>
void read_all(hid_t type, hid_t space, Read&& read) {
  const hssize_t count = H5Sget_simple_extent_npoints(space);
  std::vector<char> buffer(H5Tget_size(type) * static_cast<size_t>(count < 1 ? 1 : count));
  read(type, buffer.data());
}

herr_t read_attribute(hid_t location, const char* name, const H5A_info_t*, void*) {
  const hid_t attribute = H5Aopen(location, name, H5P_DEFAULT);
  if (attribute < 0) return 0;
  const hid_t type = H5Aget_type(attribute), space = H5Aget_space(attribute);
  read_all(type, space, [&](hid_t t, void* buffer) { H5Aread(attribute, t, buffer); });
  return 0;
}

herr_t read_object(hid_t file, const char* name, const H5O_info_t* info, void*) {
  const hid_t object = H5Oopen(file, name, H5P_DEFAULT);
  if (object < 0) return 0;
  H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, read_attribute, nullptr);
  if (info->type == H5O_TYPE_DATASET) {
    const hid_t type = H5Dget_type(object), space = H5Dget_space(object);
    read_all(type, space, [&](hid_t t, void* buffer) {
      H5Dread(object, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
    });
  }
  return 0;
}

/// The child: 0 when HDF5 read the whole file, 1 when it refused it.
[[noreturn]] void read_whole_file(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) _exit(1);
  H5Aiterate2(file, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, read_attribute, nullptr);
  _exit(H5Ovisit(file, H5_INDEX_NAME, H5_ITER_NATIVE, read_object, nullptr) < 0 ? 1 : 0);
}

/// The verdict on the file at `path` of `bytes`, by a child that reads it whole: "" where it
/// finished (or HDF5 refused the file), else why the file is damaged.
std::string probe(const std::string& path, uintmax_t bytes) {
  const double limit = 10.0 + double(bytes) / 50e6;  // 50 MB/s at the least
  const pid_t child = fork();
  if (child < 0) return "";  // no child to spare: the reader opens it as before
  if (child == 0) read_whole_file(path);
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  for (;;) {
    const pid_t ended = waitpid(child, &status, WNOHANG);
    if (ended == child) break;
    if (ended < 0 && errno != EINTR) return "";
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > limit) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      return fmt::format(
          "{}: damaged after it was written (its checksum does not match its contents, and HDF5 "
          "had not read it whole after {:.0f} s)",
          path, limit);
    }
    timespec pause{0, 5 * 1000 * 1000};
    nanosleep(&pause, nullptr);
  }
  if (WIFSIGNALED(status))
    return path +
           ": damaged after it was written (its checksum does not match its contents, "
           "and HDF5 crashed reading it)";
  return "";
}

/// The verdicts so far, by file, size and time of change, so that a process reading a file
/// again (--reproduce reads its status, then the run) waits once.
std::string verdict_of(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::tuple<std::string, uintmax_t, int64_t>, std::string> verdicts;
  std::error_code unknown;
  uintmax_t bytes = std::filesystem::file_size(path, unknown);
  if (unknown) bytes = 0;
  const int64_t changed =
      std::filesystem::last_write_time(path, unknown).time_since_epoch().count();
  const auto key = std::make_tuple(path, bytes, changed);
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto known = verdicts.find(key); known != verdicts.end()) return known->second;
  }
  std::string verdict = probe(path, bytes);
  std::lock_guard<std::mutex> lock(mutex);
  return verdicts[key] = verdict;
}

}  // namespace

void read_apart_first(const std::string& path) {
  if (std::string verdict = verdict_of(path); !verdict.empty()) throw DataError(verdict);
}

}  // namespace aelab
