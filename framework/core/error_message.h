// The one line a user reads for any exception: aelab's own errors as they are, and the standard
// library's (file system, memory) said in words with the path they concern.
#pragma once

#include <exception>
#include <string>

namespace aelab {

/// `e.what()` for aelab errors; for std::filesystem errors, what failed, on which path and why;
/// for an allocation failure, that memory ran out. Always a single line.
std::string one_line_message(const std::exception& e);

}  // namespace aelab
