// Whether a lower or a higher value of a metric is better, for every metric aelab records, so
// tables can mark the best value of a row.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace aelab {

/// true when higher is better, false when lower is; nullopt for a metric aelab does not know
/// (`test/sse`, `baseline/pca/test/auroc` and `sse` all name the metric `sse`). `overrides`
/// (metric or its last part -> higher is better) come first.
std::optional<bool> higher_is_better(const std::string& metric,
                                     const std::map<std::string, bool>& overrides = {});

/// true for a metric in decibels (`test/psnr`, `test/denoise_psnr`): a logarithm already, so
/// it is compared to another by its difference, never by a ratio.
bool in_decibels(const std::string& metric);

/// Whether `metric` counts something (active_units): a run's value is a whole number.
bool is_count(const std::string& metric);

}  // namespace aelab
