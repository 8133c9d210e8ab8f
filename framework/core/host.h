// This machine's name, as job claims and temporary files record it (several hosts may share a
// results folder).
#pragma once

#include <string>

namespace aelab {

/// gethostname(), or "" when it fails.
std::string host_name();

}  // namespace aelab
