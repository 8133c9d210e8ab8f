// What a table leaves out or cannot say itself.
#include "framework/results/table_warnings.h"

#include <fmt/format.h>

#include <algorithm>

#include "framework/core/suggest.h"
#include "framework/results/metric_direction.h"

namespace aelab {

std::vector<std::string> table_warnings(const Tabulation& table, const TableSpec& spec) {
  std::vector<std::string> warnings;
  if (table.lacking)
    warnings.push_back(fmt::format(
        "{} completed run(s) record none of {} and are left out, with the rows and columns only "
        "they would fill (make a table of them with a --metric they record)",
        table.lacking, join(spec.metrics, ", ")));
  for (const auto& [key, count] : table.keyless)
    warnings.push_back(fmt::format(
        "{} run(s) have no {} in their config and are left out (choose keys every run has, or "
        "make a table of those runs with --where)",
        count, key));
  for (const auto& [item, by_family] : table.where_keyless) {
    size_t count = 0;
    std::vector<std::string> families;
    for (const auto& [family, runs] : by_family) {
      count += runs;
      families.push_back(fmt::format("{} {}", runs, family));
    }
    const bool pca_left_out =
        by_family.count("pca") &&
        std::find(spec.baselines.begin(), spec.baselines.end(), "pca") == spec.baselines.end();
    warnings.push_back(fmt::format(
        "--where {}: {} run(s) have no {} in their config and are left out ({}){}", item, count,
        item.substr(0, item.find('=')), join(families, ", "),
        pca_left_out ? "; --baseline pca adds the PCA baseline that the kept runs record" : ""));
  }
  for (const auto& [experiment, count] : table.unfinished_elsewhere)
    warnings.push_back(fmt::format(
        "{} run(s) of experiment={} did not complete and are left out: no completed run of that "
        "experiment records {}",
        count, experiment.empty() ? "?" : experiment, join(spec.metrics, ", ")));
  if (table.pooled.empty()) return warnings;
  const std::string keys = table.pooled_keys();
  // Ratios of cells that pool runs of different k (say) are ratios of pooled means; a
  // difference is the same either way.
  if (!spec.relative_to.empty() && spec.format != "csv" &&
      !std::all_of(spec.metrics.begin(), spec.metrics.end(), compared_by_difference))
    warnings.push_back("--relative-to " + spec.relative_to +
                       ": the cells pool runs that differ in " + keys +
                       ", so each value is the cell's mean over " + spec.relative_to +
                       "'s mean over those runs, not a mean of like-for-like ratios (add " + keys +
                       " to --rows or --cols to compare at equal values)");
  if (spec.format == "csv")
    warnings.push_back("the cells pool runs that differ in " + keys +
                       " (a CSV has no title to say so; add " +
                       (table.pooled.size() == 1 ? "it" : "them") +
                       " to --rows or --cols, or pick runs with --where)");
  return warnings;
}

}  // namespace aelab
