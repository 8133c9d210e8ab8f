// Learning-rate schedules.
#include "framework/train/lr_schedule.h"

#include <cmath>

namespace aelab {

double scheduled_lr(double base, int64_t epoch, const TrainerOptions& options) {
  double lr = base;
  if (options.lr_schedule == "cosine") {
    double progress = static_cast<double>(epoch - 1) / static_cast<double>(options.epochs);
    lr = 0.5 * base * (1.0 + std::cos(M_PI * progress));
  } else if (options.lr_schedule == "step") {
    lr = base * std::pow(options.gamma, static_cast<double>((epoch - 1) / options.step_size));
  }
  if (epoch <= options.warmup_epochs)
    lr *= static_cast<double>(epoch) / static_cast<double>(options.warmup_epochs + 1);
  return lr;
}

}  // namespace aelab
