// Durations as progress lines show them.
#pragma once

#include <string>

namespace aelab {

/// `1h05m`, `4m10s`, `37s`, `<1s`.
std::string format_duration(double seconds);

}  // namespace aelab
