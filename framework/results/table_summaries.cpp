// A table's cells reduced to what is shown: centre and spread, ratios (or dB differences) to a
// reference column, the mean row.
#include "framework/results/table_summaries.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/results/metric_direction.h"

namespace aelab {

std::optional<Summary> summarize(const Cell& cell, const std::string& agg) {
  if (cell.values.empty()) return std::nullopt;
  std::vector<double> v = cell.values;
  const double n = static_cast<double>(v.size());
  Summary out;
  out.incomplete = incomplete_text(cell);
  if (agg == "median") {
    if (std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); })) {
      out.centre = std::nan("");  // a NaN has no rank
      return out;
    }
    std::sort(v.begin(), v.end());
    out.centre = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    return out;
  }
  if (std::all_of(v.begin(), v.end(), [&](double x) { return x == v[0]; })) {
    out.centre = v[0];  // exactly, with no spread (PCA's over seeds), not a rounding's 4e-15
    if (v.size() > 1) out.spread = 0.0;
    return out;
  }
  for (double x : v) out.centre += x / n;
  if (v.size() > 1) {
    double var = 0;
    for (double x : v) var += (x - out.centre) * (x - out.centre);
    out.spread = std::sqrt(var / (n - 1));
  }
  return out;
}

std::vector<Column> columns_of(const Tabulation& table, const TableSpec& spec) {
  std::vector<Column> out;
  for (const auto& col : table.cols)
    for (size_t m = 0; m < spec.metrics.size(); ++m) {
      std::string header = col.text;
      if (spec.metrics.size() > 1 || header.empty())
        header = header.empty() ? spec.metrics[m] : header + " " + spec.metrics[m];
      out.push_back({&col, m, header});
    }
  return out;
}

SummaryGrid summaries_of(const Tabulation& table, const std::vector<Column>& columns,
                         const TableSpec& spec) {
  if (!spec.relative_to.empty() &&
      std::none_of(columns.begin(), columns.end(),
                   [&](const Column& c) { return c.label->text == spec.relative_to; })) {
    std::vector<std::string> labels;
    for (const auto& col : table.cols) labels.push_back(col.text);
    throw ConfigError("--relative-to " + spec.relative_to + ": no column is labelled " +
                      spec.relative_to + " (columns: " + join(labels, ", ") +
                      "; add a baseline's column with --baseline NAME and --cols family)");
  }
  SummaryGrid grid;
  for (const auto& row : table.rows) {
    auto& line = grid.emplace_back();
    for (const auto& column : columns) {
      auto cell = table.cells.find({row.text, column.label->text, column.metric});
      line.push_back(cell == table.cells.end() ? std::nullopt : summarize(cell->second, spec.agg));
    }
  }
  if (!spec.relative_to.empty()) {
    for (size_t r = 0; r < grid.size(); ++r) {
      // Each metric's reference value, read before any cell of the row is divided.
      std::map<size_t, double> references;  // by metric
      for (size_t k = 0; k < columns.size(); ++k)
        if (columns[k].label->text == spec.relative_to && grid[r][k])
          references[columns[k].metric] = grid[r][k]->centre;
      for (size_t c = 0; c < columns.size(); ++c) {
        const auto found = references.find(columns[c].metric);
        const std::optional<double> reference =
            found == references.end() ? std::nullopt : std::optional<double>(found->second);
        if (!grid[r][c]) continue;
        if (!reference || (*reference == 0 && !in_decibels(spec.metrics[columns[c].metric]))) {
          grid[r][c].reset();
          continue;
        }
        Summary& s = *grid[r][c];
        if (in_decibels(spec.metrics[columns[c].metric])) {  // dB: a difference, not a ratio
          s.centre -= *reference;
          continue;
        }
        s.centre /= *reference;
        if (s.spread) *s.spread /= std::abs(*reference);
      }
    }
  }
  if (spec.mean_row) {
    auto& line = grid.emplace_back();
    for (size_t c = 0; c < columns.size(); ++c) {
      Cell means;
      for (size_t r = 0; r + 1 < grid.size(); ++r) {
        if (!grid[r][c]) {
          means.values.clear();
          break;
        }
        means.values.push_back(grid[r][c]->centre);
      }
      std::optional<Summary> mean = summarize(means, "mean");
      if (mean) mean->spread.reset();
      line.push_back(mean);
    }
  }
  return grid;
}

/// The cell of row `r` (of the table's rows; none for the mean row after them) and `column`.
const Cell* cell_at(const Tabulation& table, size_t r, const Column& column) {
  if (r >= table.rows.size()) return nullptr;
  auto cell = table.cells.find({table.rows[r].text, column.label->text, column.metric});
  return cell == table.cells.end() ? nullptr : &cell->second;
}

/// The label cells of row `r`: its values (a null as `all`), or `mean` for the mean row.
std::vector<std::string> row_label_cells(const Tabulation& table, size_t r, size_t keys) {
  std::vector<std::string> line;
  if (r < table.rows.size()) {
    for (const auto& value : table.rows[r].values)
      line.push_back(value.kind() == ConfigNode::Kind::kNull ? "all" : value.text());
  } else {
    line.assign(keys, "");
    line[0] = "mean";
  }
  return line;
}

}  // namespace aelab
