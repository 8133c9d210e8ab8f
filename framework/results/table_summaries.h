// A table's cells reduced to what is shown (centre, spread, ratios to a reference column, a
// mean row), for make_table's text, LaTeX and CSV renderings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "framework/results/result_table.h"
#include "framework/results/table_cells.h"

namespace aelab {

/// A cell reduced to what is shown: its centre (mean or median) and, over several runs, its
/// spread.
struct Summary {
  double centre = 0;
  /// The std (--agg mean), or the interquartile range (--agg median), over two runs or more.
  std::optional<double> spread;
  std::string incomplete;  ///< the runs of the cell that did not complete (incomplete_text)
};

/// `cell` summarized by `agg`: the mean and std, or the median and interquartile range (the
/// quartiles interpolated as numpy's and pandas' are); nullopt when it holds no value.
std::optional<Summary> summarize(const Cell& cell, const std::string& agg);

/// One shown column: a column label and a metric.
struct Column {
  const TableLabel* label;
  size_t metric;
  std::string header;
};

/// Each column label once per metric, in order, but for a metric no row of the label has.
std::vector<Column> columns_of(const Tabulation& table, const TableSpec& spec);

using SummaryGrid = std::vector<std::vector<std::optional<Summary>>>;

/// The summaries of every (row, column), as ratios (a PSNR as a difference) to the reference
/// column where asked (ConfigError when no column is that reference); the mean row last when
/// asked.
SummaryGrid summaries_of(const Tabulation& table, const std::vector<Column>& columns,
                         const TableSpec& spec);

/// The cell of row `r` (of the table's rows; none for the mean row after them) and `column`.
const Cell* cell_at(const Tabulation& table, size_t r, const Column& column);

/// The label cells of row `r`: its values (a null as `all`), or `mean` for the mean row.
std::vector<std::string> row_label_cells(const Tabulation& table, size_t r, size_t keys);

}  // namespace aelab
