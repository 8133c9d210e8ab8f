// Reading a changed HDF5 file whole in a forked child, timed by the parent. The child keeps
// to HDF5 and _exit: it reads nothing of the parent's state, and dies with it.
#include "framework/results/hdf5_probe.h"

#include <fmt/format.h>
#include <hdf5.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>
#include <vector>

#include "framework/core/error.h"
#include "framework/core/stop_request.h"
#include "framework/results/sealed_file.h"

namespace aelab {
namespace {

/// Datasets larger than this are left unread: their bytes are raw data, not the metadata and
/// variable-length strings on which libhdf5 loops, and the child is a copy of a reader that may
/// be large already.
constexpr size_t kLargestRead = size_t{64} << 20;

/// Closes an HDF5 id (a type, space, attribute or object) when it goes.
struct Id {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Id() {
    if (id >= 0) close(id);
  }
};

/// Reads one whole attribute or dataset through `read(type, buffer)`; variable-length data is
/// left allocated, as the child ends at once.
template <class Read>
void read_all(hid_t type, hid_t space, Read&& read) noexcept {
  const hssize_t count = H5Sget_simple_extent_npoints(space);
  const size_t size = H5Tget_size(type);
  if (count < 0 || size == 0 || size_t(count) > kLargestRead / size) return;
  std::vector<char> buffer(size * static_cast<size_t>(count < 1 ? 1 : count));
  read(type, buffer.data());
}

herr_t read_attribute(hid_t location, const char* name, const H5A_info_t*, void*) noexcept {
  const Id attribute{H5Aopen(location, name, H5P_DEFAULT), H5Aclose};
  if (attribute.id < 0) return 0;
  const Id type{H5Aget_type(attribute.id), H5Tclose}, space{H5Aget_space(attribute.id), H5Sclose};
  read_all(type.id, space.id, [&](hid_t t, void* buffer) { H5Aread(attribute.id, t, buffer); });
  return 0;
}

herr_t read_object(hid_t file, const char* name, const H5O_info_t* info, void*) noexcept {
  const Id object{H5Oopen(file, name, H5P_DEFAULT), H5Oclose};
  if (object.id < 0) return 0;
  H5Aiterate2(object.id, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, read_attribute, nullptr);
  if (info->type == H5O_TYPE_DATASET) {
    const Id type{H5Dget_type(object.id), H5Tclose}, space{H5Dget_space(object.id), H5Sclose};
    read_all(type.id, space.id, [&](hid_t t, void* buffer) {
      H5Dread(object.id, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
    });
  }
  return 0;
}

/// The child: 0 when HDF5 read the whole file, 1 when it refused it.
[[noreturn]] void read_whole_file(const std::string& path, pid_t parent) noexcept {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never an orphan spinning on a damaged file
  if (getppid() != parent) _exit(1);
  for (int signal : {SIGINT, SIGTERM, SIGUSR1, SIGPIPE}) ::signal(signal, SIG_DFL);
  try {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) _exit(1);
    _exit(H5Ovisit(file, H5_INDEX_NAME, H5_ITER_NATIVE, read_object, nullptr) < 0 ? 1 : 0);
  } catch (...) {
    _exit(2);
  }
}

double probe_seconds(uintmax_t bytes) {
  double base = 30;
  if (const char* set = std::getenv("AELAB_HDF5_PROBE_SECONDS"); set && std::atof(set) > 0)
    base = std::atof(set);
  return base + double(bytes) / 20e6;
}

/// The verdict on the file at `path` of `bytes`, by a child that reads it whole: "" where it is
/// readable, the reason where it is damaged, nullopt where the check could not conclude.
std::optional<std::string> probe(const std::string& path, uintmax_t bytes) {
  const double limit = probe_seconds(bytes);
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child < 0) return std::nullopt;
  if (child == 0) read_whole_file(path, parent);
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  auto stop_child = [&] {
    kill(child, SIGKILL);
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  };
  bool said = false;
  for (;;) {
    const pid_t ended = waitpid(child, &status, WNOHANG);
    if (ended == child) break;
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!said && waited > 2) {  // a wait of up to the limit, said once, not a silent one
      said = true;
      std::cerr << fmt::format(
          "note: {} changed since it was written; reading it whole in a child process first "
          "(stopped after {:.0f} s: libhdf5 loops forever on some damaged files)\n",
          path, limit);
    }
    if (ended < 0 && errno != EINTR) return std::nullopt;
    if (stop_requested()) {
      stop_child();
      return std::nullopt;
    }
    if (waited > limit) {
      stop_child();
      return fmt::format(
          "{}: damaged: its checksum does not match its contents, and HDF5 was still reading it "
          "after {:.0f} s (libhdf5 loops forever on some damaged files)",
          path, limit);
    }
    timespec pause{0, 5 * 1000 * 1000};
    nanosleep(&pause, nullptr);
  }
  if (!WIFSIGNALED(status)) return "";
  const int signal = WTERMSIG(status);
  if (signal != SIGSEGV && signal != SIGBUS && signal != SIGABRT && signal != SIGFPE &&
      signal != SIGILL)
    return std::nullopt;  // killed by another hand (out of memory, say): nothing learnt
  return path + ": damaged: its checksum does not match its contents, and HDF5 crashed (" +
         signal_name(signal) + ") reading it";
}

/// The verdicts so far, by file, size and time of change, so that a process reading a file
/// again (--reproduce reads its status, then the run) waits once.
std::string verdict_of(const std::string& path) {
  static std::mutex mutex;
  static std::map<FileState, std::string> verdicts;
  const std::optional<FileState> state = file_state(path);
  if (!state) return "";  // HDF5 says why it cannot open it
  const FileState& key = *state;
  const uintmax_t bytes = std::get<1>(key);
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto known = verdicts.find(key); known != verdicts.end()) return known->second;
  }
  const std::optional<std::string> verdict = probe(path, bytes);
  if (!verdict) return "";  // asked again next time
  std::lock_guard<std::mutex> lock(mutex);
  return verdicts[key] = *verdict;
}

}  // namespace

void check_readable_in_child(const std::string& path) {
  if (std::string verdict = verdict_of(path); !verdict.empty()) throw DataError(verdict);
}

}  // namespace aelab
