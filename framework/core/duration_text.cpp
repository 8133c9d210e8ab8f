// Durations as progress lines show them.
#include "framework/core/duration_text.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

namespace aelab {

std::string format_duration(double seconds) {
  const auto whole = static_cast<int64_t>(std::llround(seconds));
  if (whole >= 3600) return fmt::format("{}h{:02}m", whole / 3600, whole % 3600 / 60);
  if (whole >= 60) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return whole == 0 && seconds > 0 ? "<1s" : fmt::format("{}s", whole);
}

}  // namespace aelab
