// Learning-rate schedules, as a function of the epoch alone so a resumed run continues exactly.
#pragma once

#include <cstdint>

#include "framework/train/trainer_options.h"

namespace aelab {

/// The learning rate of epoch `epoch` (1-based) for a group whose base rate is `base`: the
/// schedule (constant, cosine, step), times the linear warm-up while it lasts.
double scheduled_lr(double base, int64_t epoch, const TrainerOptions& options);

}  // namespace aelab
