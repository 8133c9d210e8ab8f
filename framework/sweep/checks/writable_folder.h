// Whether a folder the sweep writes can be made and written, checked before any job starts.
#pragma once

#include <string>

namespace aelab {

/// ConfigError unless `folder` exists as a writable folder or could be created: names the
/// folder, its `role` (`results folder`) and why.
void check_writable_folder(const std::string& folder, const std::string& role);

}  // namespace aelab
