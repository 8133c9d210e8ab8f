// Paper-style tables from run files: rows and columns from config keys, group choices or the
// model family; each cell the mean ± std (or the median) of a metric over the runs (seeds) that
// share it; baselines as columns or rows of their own, ratios to a reference column, the best
// value of a row in bold, and as many digits as a column needs for its values to differ.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "framework/results/run_record.h"
#include "framework/results/table_cells.h"

namespace aelab {

/// What to tabulate.
struct TableSpec {
  std::string rows;  ///< config key(s) of the rows, comma-separated: model.latent_dim, family
  std::string cols;  ///< config key(s) of the columns; "" for one column
  /// `test/sse` (under /metrics), or `baseline/pca/test/sse`; several give a column each
  std::vector<std::string> metrics;
  std::string format = "md";  ///< md (or markdown), latex or csv
  int digits = 4;             ///< significant digits at least; more where values would tie
  /// A last row `mean`: each column's mean over its rows (the summary line of one-class
  /// tables); left empty in a column where some row has no value.
  bool mean_row = false;
  std::vector<std::string> where;      ///< `key=value` filters
  std::string agg = "mean";            ///< `mean` (± std) or `median` over a cell's runs
  std::vector<std::string> baselines;  ///< /baseline/<name> as a column (or row) of its own
  /// A column label (`pca`, with --baseline pca): every cell as a ratio to that column's value
  /// in the same row; where no column has it, a row label (--rows family): every cell as a ratio
  /// to that row's value in the same column.
  std::string relative_to;
  bool bold = false;  ///< the best value of each row and metric in bold (md and latex)
  std::map<std::string, bool> higher_is_better;  ///< metric -> direction, beyond the known ones
  /// OLD=NEW: a header, label, metric or key as a paper names it (make_table --rename).
  std::vector<std::pair<std::string, std::string>> renames;
  /// Column (or row) labels in the order a paper gives them (make_table --order); the others
  /// follow, sorted.
  std::vector<std::string> order;
};

/// Splits a comma-separated list of metrics (`test/nll_is,test/elbo`).
std::vector<std::string> split_metric_list(const std::string& text);

/// The table as text. ConfigError when a key or metric is absent from every run. `warnings`, if
/// given, gets what the table cannot say itself: a CSV (no title) whose cells pool runs that
/// differ in some key.
std::string make_table(const std::vector<RunRecord>& runs, const TableSpec& spec,
                       std::vector<std::string>* warnings = nullptr);

}  // namespace aelab
