// A table's cells reduced to what is shown: centre and spread, ratios (or dB differences) to a
// reference column or row, the mean row.
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
    const auto quantile = [&](double q) {  // between two values, or one (an inf stays inf)
      const double at = q * (n - 1);
      const size_t below = static_cast<size_t>(std::floor(at));
      if (at == below || v[below] == v[below + 1]) return v[below];
      return v[below] + (at - below) * (v[below + 1] - v[below]);
    };
    out.centre = quantile(0.5);
    if (v.size() > 1) out.spread = quantile(0.75) - quantile(0.25);
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
  // A label that has no value of a metric in any row (a from-scratch baseline has no frozen
  // phase) gets no column of it.
  const auto empty = [&](const TableLabel& col, size_t m) {
    return std::none_of(table.rows.begin(), table.rows.end(), [&](const TableLabel& row) {
      auto cell = table.cells.find({row.text, col.text, m});
      return cell != table.cells.end() &&
             (!cell->second.values.empty() || !cell->second.incomplete.empty());
    });
  };
  std::vector<Column> out;
  for (const auto& col : table.cols)
    for (size_t m = 0; m < spec.metrics.size(); ++m) {
      if (empty(col, m)) continue;
      std::string header = col.text;
      if (spec.metrics.size() > 1 || header.empty())
        header = header.empty() ? spec.metrics[m] : header + " " + spec.metrics[m];
      out.push_back({&col, m, header});
    }
  return out;
}

namespace {

/// Makes `summary` relative to `reference` (relative_form(): the ratio or the difference), or
/// empty where there is nothing to be relative to (no reference, or 0 for a ratio). A ratio to a
/// negative reference divides by its size, so that the better value stays the larger (or the
/// smaller): the reference's own cell reads -1.
void make_relative(std::optional<Summary>& summary, std::optional<double> reference,
                   const std::string& metric) {
  if (!summary) return;
  const bool difference = compared_by_difference(metric);
  if (!reference || (*reference == 0 && !difference)) {
    summary.reset();
  } else if (difference) {
    summary->centre -= *reference;
  } else {
    summary->centre /= std::abs(*reference);
    if (summary->spread) *summary->spread /= std::abs(*reference);
  }
}

}  // namespace

namespace {

/// For each label, the index of its reference: the label with the same values but `reference`
/// where the labels have it (the family key's place: `pca` beside `mlp`, or `pca, 8` beside
/// `mlp, 8` with two keys); -1 where there is none. Empty when no label holds `reference`.
std::vector<std::ptrdiff_t> references_of(const std::vector<TableLabel>& labels,
                                          const std::string& reference) {
  std::optional<size_t> place;
  for (const auto& label : labels)
    for (size_t p = 0; p < label.values.size() && !place; ++p)
      if (label.values[p].text() == reference) place = p;
  if (!place) return {};
  auto texts = [](const TableLabel& label) {
    std::vector<std::string> out;
    for (const auto& value : label.values) out.push_back(value.text());
    return out;
  };
  std::map<std::vector<std::string>, std::ptrdiff_t> index;
  std::ptrdiff_t merged = -1;  // a baseline column the same under every value of the other keys
  for (size_t i = 0; i < labels.size(); ++i) {
    index[texts(labels[i])] = std::ptrdiff_t(i);
    if (labels[i].text == reference) merged = std::ptrdiff_t(i);
  }
  std::vector<std::ptrdiff_t> out;
  for (const auto& label : labels) {
    std::vector<std::string> wanted = texts(label);
    if (*place < wanted.size()) wanted[*place] = reference;
    auto found = index.find(wanted);
    out.push_back(found == index.end() ? merged : found->second);
  }
  return out;
}

/// The error of --relative-to a label no column or row has: the labels it could name, and what
/// would make it appear, leaving out what the table does already.
ConfigError no_reference(const Tabulation& table, const TableSpec& spec) {
  // The columns' labels, or where the table has one unlabelled column (--rows family and no
  // --cols), the rows'.
  std::vector<std::string> labels, presets;
  for (const auto& col : table.cols)
    if (!col.text.empty()) labels.push_back(col.text);
  const bool rows_named = labels.empty();
  if (rows_named)
    for (const auto& row : table.rows) labels.push_back(row.text);
  // A family whose presets the table names apart (`mlp model=mlp_ae`): name one of them.
  for (const auto* lines : {&table.cols, &table.rows})
    for (const auto& line : *lines)
      if (line.text.rfind(spec.relative_to + " ", 0) == 0) presets.push_back(line.text);
  std::vector<std::string> keys = split_list(spec.rows, "--rows");
  if (!spec.cols.empty())
    for (const auto& key : split_list(spec.cols, "--cols")) keys.push_back(key);
  const bool families_shown = std::find(keys.begin(), keys.end(), "family") != keys.end();
  std::string hint = "; give one of them";
  if (spec.baselines.empty()) hint += ", or add a baseline with --baseline NAME";
  if (!families_shown)
    hint += std::string(spec.baselines.empty() ? " and" : ", or") +
            " show the families with --cols family or --rows family";
  if (!presets.empty())
    hint = "; the table names the presets of " + spec.relative_to +
           " apart: give one, as in --relative-to '" + presets.front() +
           "', or keep one with --where";
  return ConfigError("--relative-to " + spec.relative_to + ": no column or row is labelled '" +
                     spec.relative_to + "' (" + (rows_named ? "rows: " : "columns: ") +
                     join(labels, ", ") + hint + ")");
}

}  // namespace

SummaryGrid summaries_of(const Tabulation& table, const std::vector<Column>& columns,
                         const TableSpec& spec) {
  SummaryGrid grid;
  for (const auto& row : table.rows) {
    auto& line = grid.emplace_back();
    for (const auto& column : columns) {
      auto cell = table.cells.find({row.text, column.label->text, column.metric});
      line.push_back(cell == table.cells.end() ? std::nullopt : summarize(cell->second, spec.agg));
    }
  }
  if (!spec.relative_to.empty()) {
    // The reference is a column (--cols family), or where no column holds it, a row (--rows
    // family): each value is relative to its reference's in the same row, or column.
    const std::vector<std::ptrdiff_t> by_column = references_of(table.cols, spec.relative_to);
    const std::vector<std::ptrdiff_t> by_row = by_column.empty()
                                                   ? references_of(table.rows, spec.relative_to)
                                                   : std::vector<std::ptrdiff_t>{};
    if (by_column.empty() && by_row.empty()) throw no_reference(table, spec);
    const SummaryGrid values = grid;  // the references, as they were before any is made relative
    for (size_t r = 0; r < grid.size(); ++r)
      for (size_t c = 0; c < columns.size(); ++c) {
        std::optional<Summary> reference;
        if (!by_column.empty()) {
          const std::ptrdiff_t col = by_column[size_t(columns[c].label - table.cols.data())];
          for (size_t k = 0; k < columns.size() && col >= 0; ++k)
            if (columns[k].label == &table.cols[size_t(col)] &&
                columns[k].metric == columns[c].metric)
              reference = values[r][k];
        } else if (by_row[r] >= 0) {
          reference = values[size_t(by_row[r])][c];
        }
        make_relative(grid[r][c],
                      reference ? std::optional<double>(reference->centre) : std::nullopt,
                      spec.metrics[columns[c].metric]);
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
