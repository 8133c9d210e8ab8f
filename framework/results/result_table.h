// Paper-style tables from run files: one row per value of a config key, one column per value
// of another (and per metric, when several are asked for), each cell the mean ± std of a
// metric over the runs (seeds) that share it.
#pragma once

#include <string>
#include <vector>

#include "framework/results/run_record.h"

namespace aelab {

/// What to tabulate.
struct TableSpec {
  std::string rows;  ///< dotted config key, such as model.latent_dim
  std::string cols;  ///< dotted config key, such as model.name; "" for one column
  /// `test/sse` (under /metrics), or `baseline/pca/test/sse`; several give a column each
  std::vector<std::string> metrics;
  std::string format = "md";  ///< md, latex or csv
  int digits = 4;             ///< significant digits
};

/// Every run file under `<results_dir>/runs`, in file-name order. DataError when there is none.
std::vector<RunRecord> read_results(const std::string& results_dir);

/// Splits a comma-separated list of metrics (`test/nll_is,test/elbo`).
std::vector<std::string> split_metric_list(const std::string& text);

/// The table as text. ConfigError when a key or metric is absent from every run.
std::string make_table(const std::vector<RunRecord>& runs, const TableSpec& spec);

}  // namespace aelab
