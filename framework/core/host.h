// This machine's name, as job claims and temporary files record it (several hosts may share a
// results folder).
#pragma once

#include <string>

namespace aelab {

/// gethostname(), or "" when it fails.
std::string host_name();

/// The host as this process's pids know it: host_name(), followed by `+pidns<inode>` where the
/// process runs in a pid namespace other than the host's own (a container). Two containers may
/// share a host name and a kernel, but a pid names the same process only within one namespace,
/// so only writers of the same process_host() may be judged alive or dead by their pid.
std::string process_host();

}  // namespace aelab
