// The metrics of a run as make_table and --metric name them, and what a missing one may have
// meant.
#include "framework/results/run_metrics.h"

#include <cctype>

#include "framework/core/suggest.h"

namespace aelab {

std::string baseline_prefix(const std::string& name) {
  return name.empty() ? "" : "baseline/" + name + "/";
}

std::optional<double> metric_value(const RunRecord& run, const std::string& metric) {
  std::vector<std::string> parts = split(metric, '/');
  const MetricTable* table = &run.metrics;
  if (parts.size() == 4 && parts[0] == "baseline") {
    auto it = run.baselines.find(parts[1]);
    if (it == run.baselines.end()) return std::nullopt;
    table = &it->second;
    parts.erase(parts.begin(), parts.begin() + 2);
  }
  if (parts.size() != 2) return std::nullopt;
  auto split = table->find(parts[0]);
  if (split == table->end()) return std::nullopt;
  auto value = split->second.find(parts[1]);
  if (value == split->second.end()) return std::nullopt;
  return value->second;
}

std::vector<std::string> metric_names(const RunRecord& run) {
  std::vector<std::string> names;
  auto add = [&](const MetricTable& table, const std::string& prefix) {
    for (const auto& [split, metrics] : table)
      for (const auto& [metric, value] : metrics) names.push_back(prefix + split + "/" + metric);
  };
  add(run.metrics, "");
  for (const auto& [baseline, table] : run.baselines) add(table, baseline_prefix(baseline));
  return names;
}

std::string metric_hint(const std::string& metric, const std::set<std::string>& names) {
  std::string meant;
  for (const auto& name : names)
    if (lowercase(name) == lowercase(metric)) meant = name;
  const bool no_split = metric.find('/') == std::string::npos;
  if (meant.empty() && no_split) {
    for (const auto& name : names)
      if (lowercase(name.substr(name.rfind('/') + 1)) == lowercase(metric) &&
          (meant.empty() || name.rfind("test/", 0) == 0))
        meant = name;
  }
  const std::vector<std::string> known(names.begin(), names.end());
  if (meant.empty()) return suggestion_suffix(metric, known);
  return " (did you mean '" + meant + "'?" + (no_split ? " metrics are SPLIT/NAME;" : "") +
         " known: " + join(known, ", ") + ")";
}

}  // namespace aelab
