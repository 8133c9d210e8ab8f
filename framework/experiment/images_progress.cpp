// How far work over many images has come.
#include "framework/experiment/images_progress.h"

#include <fmt/format.h>

#include "framework/core/stop_request.h"
#include "framework/experiment/experiment.h"
#include "framework/experiment/training.h"

namespace aelab {

ImagesProgress::ImagesProgress(const RunContext& context, std::string activity, int64_t all)
    : context_(context), activity_(std::move(activity)), all_(all) {}

std::function<void(int64_t, int64_t)> ImagesProgress::after(int64_t before) {
  return
      [this, before](int64_t done, int64_t total) { tell(before + done, all_ > 0 ? all_ : total); };
}

void ImagesProgress::tell(int64_t done, int64_t total) {
  throw_if_stop_requested("while " + activity_);  // after each batch: minutes on a CPU
  if (pace_.due(done, total))
    doing(context_, fmt::format("{}: {} of {} images, {}", activity_, done, total,
                                pace_.time_left(done, total)));
}

}  // namespace aelab
