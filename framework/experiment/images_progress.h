// How far work over many images has come, for the sweep's progress line: an IS-NLL estimate
// takes minutes on a CPU.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "framework/core/progress_pace.h"

namespace aelab {

struct RunContext;

/// Says `ACTIVITY: 3708 of 10000 images, about 49s left` through `doing`, at most once a second,
/// the time left at the pace so far. Work over several sets in turn (the validation images, then
/// the test images) counts on across them: each set's count starts after `before` images.
class ImagesProgress {
 public:
  /// `all`: the images of every set together (0: each set's own total, for work over one set).
  ImagesProgress(const RunContext& context, std::string activity, int64_t all = 0);
  ImagesProgress(const ImagesProgress&) = delete;  // what after() gives points at this object
  ImagesProgress& operator=(const ImagesProgress&) = delete;
  /// What a set's work tells of itself (`done` of its `total`, as an ImagesDone of
  /// likelihood_metrics.h), after `before` images of earlier sets. The object must outlive the
  /// work.
  std::function<void(int64_t done, int64_t total)> after(int64_t before);

 private:
  void tell(int64_t done, int64_t total);

  const RunContext& context_;
  std::string activity_;
  int64_t all_;
  ProgressPace pace_{std::chrono::seconds(1)};
};

}  // namespace aelab
