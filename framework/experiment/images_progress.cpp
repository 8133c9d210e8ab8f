// How far work over many images has come.
#include "framework/experiment/images_progress.h"

#include <fmt/format.h>

#include "framework/core/duration_text.h"
#include "framework/experiment/experiment.h"
#include "framework/experiment/training.h"

namespace aelab {

ImagesProgress::ImagesProgress(const RunContext& context, std::string activity, int64_t all)
    : context_(context),
      activity_(std::move(activity)),
      all_(all),
      started_(std::chrono::steady_clock::now()),
      said_at_(started_) {}

std::function<void(int64_t, int64_t)> ImagesProgress::after(int64_t before) {
  return
      [this, before](int64_t done, int64_t total) { tell(before + done, all_ > 0 ? all_ : total); };
}

void ImagesProgress::tell(int64_t done, int64_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (done <= 0 || done >= total || now - said_at_ < std::chrono::seconds(1)) return;
  said_at_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  doing(context_, fmt::format("{}: {} of {} images, about {} left", activity_, done, total,
                              format_duration(seconds * double(total - done) / double(done))));
}

}  // namespace aelab
