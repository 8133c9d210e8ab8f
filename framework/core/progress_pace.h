// The pace of progress lines for work done in steps (jobs planned, images scored): at most one
// line per interval, with the time left at the pace so far.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace aelab {

/// Started when made; says when a line is due and how long the rest should take.
class ProgressPace {
 public:
  explicit ProgressPace(std::chrono::seconds every);
  /// Whether a line is due for `done` of `total` steps: some done and some left, and `every`
  /// passed since the start or the last line due; the next is then due `every` later.
  bool due(int64_t done, int64_t total);
  /// `about 49s left`: the steps left at the pace of those done so far.
  std::string time_left(int64_t done, int64_t total) const;

 private:
  std::chrono::seconds every_;
  std::chrono::steady_clock::time_point started_, said_at_;
};

}  // namespace aelab
