// History and console callbacks.
#include "framework/train/callback.h"

#include <fmt/core.h>

#include <cstdio>

namespace aelab {

void HistoryRecorder::on_epoch_end(const EpochSummary& summary) {
  for (const auto& [split, metrics] : summary.metrics)
    for (const auto& [name, value] : metrics) history_[split][name].push_back(value);
}

void ConsoleProgress::on_epoch_end(const EpochSummary& summary) {
  std::string line = fmt::format("{} epoch {}/{}", label_, summary.epoch, summary.epochs);
  for (const auto& [split, metrics] : summary.metrics)
    for (const auto& [name, value] : metrics)
      line += fmt::format("  {}/{} {:.5g}", split, name, value);
  line += fmt::format("  ({:.1f} s)\n", summary.seconds);
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace aelab
