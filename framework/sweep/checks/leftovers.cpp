// Clearing what killed processes left.
#include "framework/sweep/checks/leftovers.h"

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "framework/core/host.h"

namespace fs = std::filesystem;

namespace aelab {

void remove_orphaned_temporaries(const std::string& folder) {
  std::error_code ignored;
  if (!fs::is_directory(folder, ignored)) return;
  const std::string host = process_host();
  const auto day_ago = fs::file_time_type::clock::now() - std::chrono::hours(24);
  for (const auto& entry : fs::directory_iterator(folder, ignored)) {
    const std::string name = entry.path().filename().string();
    const size_t mark = name.find(".tmp-");
    if (mark == std::string::npos) continue;
    char* end = nullptr;
    const long writer = std::strtol(name.c_str() + mark + 5, &end, 10);
    const size_t counter_end = name.find('-', static_cast<size_t>(end - name.c_str()) + 1);
    if (writer <= 0 || *end != '-' || counter_end == std::string::npos) continue;
    if (name.substr(counter_end + 1) != host) {
      // Another host's, or a container's that may never return (each start gets a new pid
      // namespace): a file is written within seconds, so one a day old is abandoned.
      if (fs::last_write_time(entry.path(), ignored) < day_ago) fs::remove(entry.path(), ignored);
      continue;
    }
    if (kill(static_cast<pid_t>(writer), 0) == 0 || errno == EPERM) continue;
    fs::remove(entry.path(), ignored);
  }
}

void remove_abandoned_claim_files(const std::string& folder) {
  std::error_code ignored;
  if (!fs::is_directory(folder, ignored)) return;
  const auto hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& entry : fs::directory_iterator(folder, ignored))
    if (entry.path().extension() != ".claim" &&
        fs::last_write_time(entry.path(), ignored) < hour_ago)
      fs::remove(entry.path(), ignored);
}

}  // namespace aelab
