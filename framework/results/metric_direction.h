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

/// How make_table --relative-to sets a value beside its reference's.
struct RelativeForm {
  bool difference = false;  ///< value minus reference; else value over reference
  std::string unit;         ///< the difference's: `dB`, `nats`, or "" for a score on [0, 1]
};

/// The difference for a logarithm (a PSNR in dB; an NLL, ELBO or KL term in nats: a ratio of two
/// negative ELBOs ranks the better one lower) and for a score on [0, 1] (AUROC, accuracy, IoU,
/// ARI: papers give gains in points); the ratio for the rest (errors, losses, counts).
RelativeForm relative_form(const std::string& metric);

/// Whether relative_form() takes the difference for `metric`.
bool compared_by_difference(const std::string& metric);

/// Whether `metric` counts something (active_units): a run's value is a whole number.
bool is_count(const std::string& metric);

}  // namespace aelab
