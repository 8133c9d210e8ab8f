// The host name, and the pid namespace that gives a pid its meaning.
#include "framework/core/host.h"

#include <unistd.h>

#include <filesystem>

namespace aelab {

namespace {

/// The inode of the kernel's first pid namespace (PROC_PID_INIT_INO), the one a machine's own
/// processes run in.
constexpr char kHostPidNamespace[] = "pid:[4026531836]";

}  // namespace

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

std::string process_host() {
  std::error_code error;
  const std::string space = std::filesystem::read_symlink("/proc/self/ns/pid", error).string();
  if (error || space == kHostPidNamespace || space.size() < 7) return host_name();
  return host_name() + "+pidns" + space.substr(5, space.size() - 6);  // the digits of pid:[N]
}

}  // namespace aelab
