// Whether a folder the sweep writes (results, cache, reproduction) can be made and written,
// found before any job starts, and without leaving anything behind.
#include "framework/sweep/checks/writable_folder.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "framework/core/error.h"

namespace fs = std::filesystem;

namespace aelab {

namespace {

/// The error for a file where `folder` (the `role` folder) needs a folder.
ConfigError file_in_the_way(const std::string& role, const std::string& folder,
                            const fs::path& file) {
  return ConfigError(
      fmt::format("{} '{}': '{}' is a file, not a folder (move it away or choose another folder)",
                  role, folder, file.string()));
}

/// The first folder of `path` (itself or an ancestor) that exists; ConfigError when a file is
/// in the way.
fs::path first_existing(const fs::path& path, const std::string& role, const std::string& folder) {
  fs::path current = path;
  while (true) {
    std::error_code error;
    fs::file_status status = fs::status(current, error);
    if (error && error != std::errc::no_such_file_or_directory &&
        error != std::errc::not_a_directory)
      throw ConfigError(fmt::format("{} '{}': '{}' cannot be used: {} (choose another folder)",
                                    role, folder, current.string(), error.message()));
    if (fs::exists(status)) {
      if (!fs::is_directory(status)) throw file_in_the_way(role, folder, current);
      return current;
    }
    if (!current.has_parent_path() || current.parent_path() == current) return current;
    current = current.parent_path();
  }
}

/// Creates and removes a probe folder inside `existing`, so the check writes nothing that stays.
void probe_writable(const fs::path& existing, const std::string& role, const std::string& folder) {
  const fs::path probe = existing / fmt::format(".aelab-write-check-{}", getpid());
  if (::mkdir(probe.c_str(), 0700) != 0) {
    const int error = errno;
    const std::string why = error == ENOENT ? "this file system takes no new folders (a pseudo "
                                              "file system such as /proc?)"
                                            : std::strerror(error);
    throw ConfigError(fmt::format("{} '{}': cannot write in '{}': {} (choose another folder)", role,
                                  folder, existing.string(), why));
  }
  ::rmdir(probe.c_str());
}

}  // namespace

void check_writable_folder(const std::string& folder, const std::string& role) {
  if (folder.empty()) throw ConfigError(role + ": the folder name is empty");
  const fs::path path = fs::absolute(folder);
  for (const auto& part : path)
    if (part.string().size() > 255)
      throw ConfigError(fmt::format("{} '{}': the name '{}...' is longer than 255 characters", role,
                                    folder, part.string().substr(0, 20)));
  const fs::path existing = first_existing(path, role, folder);
  probe_writable(existing, role, folder);
  if (existing == path)  // the folders aelab makes inside it must be folders too
    for (const char* inside : {"runs", "jobs", "logs", "checkpoints"}) {
      std::error_code error;
      const fs::file_status status = fs::status(path / inside, error);
      if (fs::exists(status) && !fs::is_directory(status))
        throw file_in_the_way(role, folder, path / inside);
    }
}

}  // namespace aelab
