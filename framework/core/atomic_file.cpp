// Whole-file writes through a temporary renamed into place.
#include "framework/core/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "framework/core/error.h"
#include "framework/core/host.h"

namespace aelab {

std::string temporary_name_for(const std::string& path) {
  static std::atomic<int> counter{0};
  return path + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" +
         process_host();
}

void commit_temporary(const std::string& temporary, const std::string& path) {
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    throw Error("cannot move " + temporary + " to " + path + ": " + error.message());
  }
}

void discard_temporary(const std::string& temporary) {
  std::error_code ignored;
  std::filesystem::remove(temporary, ignored);
}

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  std::error_code error;
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder, error);
  if (error) throw Error(path + ": cannot create its folder (" + error.message() + ")");
  const std::string temporary = temporary_name_for(path);
  std::ofstream out(temporary, std::ios::binary);
  errno = 0;
  try {
    if (out) write(out);
    out.close();  // a full disk may refuse the last bytes only now
  } catch (...) {
    discard_temporary(temporary);
    throw;
  }
  if (!out) {
    const int cause = errno;
    discard_temporary(temporary);
    throw Error(path + ": cannot write it" +
                (cause ? std::string(" (") + std::strerror(cause) + ")" : std::string()));
  }
  commit_temporary(temporary, path);
}

}  // namespace aelab
