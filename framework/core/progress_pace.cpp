// The pace of progress lines.
#include "framework/core/progress_pace.h"

#include "framework/core/duration_text.h"

namespace aelab {

ProgressPace::ProgressPace(std::chrono::seconds every)
    : every_(every), started_(std::chrono::steady_clock::now()), said_at_(started_) {}

bool ProgressPace::due(int64_t done, int64_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (done <= 0 || done >= total || now - said_at_ < every_) return false;
  said_at_ = now;
  return true;
}

std::string ProgressPace::time_left(int64_t done, int64_t total) const {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return "about " + format_duration(seconds * double(total - done) / double(done)) + " left";
}

}  // namespace aelab
