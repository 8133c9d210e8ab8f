// Baselines in a table: what a baseline cell pools, and repeated baseline columns merged.
#include "framework/results/baseline_cells.h"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "framework/results/run_metrics.h"
#include "framework/results/table_runs.h"

namespace aelab {
namespace {

/// Whether a config key is one of the recording run's model options, which a baseline such as
/// PCA does not read (its code size it does).
bool recording_model_option(const std::string& key) {
  return describes_model(key) && key != "model.latent_dim";
}

/// Values as text, every digit kept, so that a NaN is the same as a NaN.
std::string exact(double value) { return fmt::format("{:.17g}", value); }

/// Whether two cells hold the same values in any order (their runs come in file order), and the
/// same runs that did not complete.
bool same_cell(const Tabulation& table, const std::string& row, const std::string& a,
               const std::string& b, size_t metrics) {
  const auto values_of = [&](const std::string& col, size_t m) {
    std::multiset<std::string> values;
    std::map<std::string, int> incomplete;
    if (auto cell = table.cells.find({row, col, m}); cell != table.cells.end()) {
      for (double value : cell->second.values) values.insert(exact(value));
      incomplete = cell->second.incomplete;
    }
    return std::pair{values, incomplete};
  };
  for (size_t m = 0; m < metrics; ++m)
    if (values_of(a, m) != values_of(b, m)) return false;
  return true;
}

/// A baseline run's values as text (a NaN the same as a NaN, a missing value `-`).
std::string exact(const std::vector<std::optional<double>>& values) {
  std::string text;
  for (const auto& value : values) text += (value ? exact(*value) : "-") + " ";
  return text;
}

}  // namespace

std::map<std::string, bool> baselines_following_the_model(const std::vector<TableRun>& runs,
                                                          const std::vector<std::string>& names,
                                                          const std::vector<std::string>& metrics) {
  // Each run's config split once: its setting (all but the model's options) and its model.
  std::vector<std::pair<std::string, std::string>> setting_and_model;
  for (const TableRun& run : runs) {
    std::map<std::string, std::string> flat;
    if (run.baseline.empty()) flatten(run.config, "", flat);
    std::string setting, model;
    for (const auto& [key, value] : flat)
      (recording_model_option(key) ? model : setting) += key + "=" + value + "\n";
    setting_and_model.emplace_back(std::move(setting), std::move(model));
  }
  std::map<std::string, bool> follows;
  for (const auto& name : names) {
    std::map<std::string, std::pair<std::string, std::string>> seen;  // setting -> model, values
    bool same_beside_another_model = false, differs = false;
    for (size_t r = 0; r < runs.size(); ++r) {
      const TableRun& run = runs[r];
      if (!run.baseline.empty() || !run.record->baselines.count(name)) continue;
      const auto& [setting, model] = setting_and_model[r];
      std::vector<std::optional<double>> values;
      for (const auto& metric : metrics)
        values.push_back(metric_value(*run.record, baseline_prefix(name) + metric));
      const auto [first, added] = seen.emplace(setting, std::pair{model, exact(values)});
      if (added || first->second.first == model) continue;
      (first->second.second == exact(values) ? same_beside_another_model : differs) = true;
    }
    follows[name] = differs || !same_beside_another_model;
  }
  return follows;
}

std::vector<std::map<std::string, std::string>> configs_of_baseline_cell(
    std::vector<BaselineRun> recorded, const std::map<std::string, bool>& follows_the_model) {
  std::vector<std::map<std::string, std::string>> configs;
  for (BaselineRun& run : recorded) {
    auto follows = follows_the_model.find(run.name);
    if (follows != follows_the_model.end() && !follows->second)
      for (auto it = run.config.begin(); it != run.config.end();)
        it = recording_model_option(it->first) ? run.config.erase(it) : std::next(it);
    configs.push_back(std::move(run.config));
  }
  return configs;
}

void merge_repeated_baseline_columns(Tabulation& table, size_t metrics,
                                     const std::string& relative_to) {
  std::map<std::string, std::vector<size_t>> columns_of;  // baseline name -> its columns
  for (size_t c = 0; c < table.cols.size(); ++c)
    if (table.cols[c].baseline && !table.cols[c].values.empty() &&
        (relative_to.empty() || table.cols[c].values.back().text() == relative_to))
      columns_of[table.cols[c].values.back().text()].push_back(c);
  std::vector<bool> dropped(table.cols.size(), false);
  for (const auto& [name, columns] : columns_of) {
    if (columns.size() < 2) continue;
    const std::string first = table.cols[columns[0]].text;
    bool repeated = true;
    for (size_t i = 1; i < columns.size() && repeated; ++i)
      for (const TableLabel& row : table.rows)
        repeated =
            repeated && same_cell(table, row.text, first, table.cols[columns[i]].text, metrics);
    if (!repeated) continue;
    for (const TableLabel& row : table.rows)
      for (size_t m = 0; m < metrics; ++m) {
        auto cell = table.cells.find({row.text, first, m});
        if (cell != table.cells.end()) {
          Cell kept = std::move(cell->second);
          for (size_t c : columns) table.cells.erase({row.text, table.cols[c].text, m});
          table.cells[{row.text, name, m}] = std::move(kept);
        }
      }
    // Shown after the baseline's columns of each value (a null value sorts last).
    TableLabel& merged = table.cols[columns[0]];
    merged.text = name;
    for (size_t v = 0; v + 1 < merged.values.size(); ++v) merged.values[v] = ConfigNode();
    for (size_t i = 1; i < columns.size(); ++i) dropped[columns[i]] = true;
  }
  std::vector<TableLabel> kept;
  for (size_t c = 0; c < table.cols.size(); ++c)
    if (!dropped[c]) kept.push_back(std::move(table.cols[c]));
  table.cols = std::move(kept);
}

}  // namespace aelab
