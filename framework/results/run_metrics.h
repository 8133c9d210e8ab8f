// The metrics of a run as make_table and --metric name them (`test/sse`,
// `baseline/pca/test/sse`), and what a missing one may have meant.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "framework/results/run_record.h"

namespace aelab {

/// Where a run's baseline `name` keeps its metrics, as --metric names them: `baseline/pca/` (put
/// before `test/sse`); "" for the run's own (`name` empty).
std::string baseline_prefix(const std::string& name);

/// A metric of a run: `test/sse` (under /metrics) or `baseline/pca/test/sse`; nullopt when the
/// run lacks it.
std::optional<double> metric_value(const RunRecord& run, const std::string& metric);

/// Every metric a run file holds, as --metric names it: `test/sse`, `baseline/pca/test/sse`.
std::vector<std::string> metric_names(const RunRecord& run);

/// " (did you mean 'test/sse'? known: ...)" for a metric that none of the runs holding `names`
/// has: the one written in another case (test/SSE), or without its split (sse: the test
/// split's, else the first split's), or a near one.
std::string metric_hint(const std::string& metric, const std::set<std::string>& names);

}  // namespace aelab
