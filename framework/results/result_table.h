// Paper-style tables from run files: one row per value of a config key, one column per value
// of another (and per metric, when several are asked for), each cell the mean ± std of a
// metric over the runs (seeds) that share it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "framework/core/config_node.h"
#include "framework/results/run_record.h"

namespace aelab {

/// What to tabulate.
struct TableSpec {
  std::string rows;  ///< dotted config key, such as model.latent_dim, or `family`
  std::string cols;  ///< dotted config key or `family`; "" for one column
  /// `test/sse` (under /metrics), or `baseline/pca/test/sse`; several give a column each
  std::vector<std::string> metrics;
  std::string format = "md";  ///< md, latex or csv
  int digits = 4;             ///< significant digits
  /// A last row `mean`: each column's mean over its rows (the summary line of one-class
  /// tables); left empty in a column where some row has no value.
  bool mean_row = false;
};

/// A metric of a run: `test/sse` (under /metrics) or `baseline/pca/test/sse`; nullopt when the
/// run lacks it.
std::optional<double> metric_value(const RunRecord& run, const std::string& metric);

/// A run's readable model family, for labels: `pca`, `vae`, the encoder of an `ae` (`linear`,
/// `mlp`, `conv`, or `conv/mlp` when the decoder differs); files written before model presets
/// (model.name `linear` or `mlp`) get the same labels.
std::string run_family(const ConfigNode& config);

/// The summary (no images, history, arrays or weights) of every run file under
/// `<results_dir>/runs`, in file-name order. DataError when there is none.
std::vector<RunRecord> read_results(const std::string& results_dir);

/// Splits a comma-separated list of metrics (`test/nll_is,test/elbo`).
std::vector<std::string> split_metric_list(const std::string& text);

/// The table as text. ConfigError when a key or metric is absent from every run.
std::string make_table(const std::vector<RunRecord>& runs, const TableSpec& spec);

}  // namespace aelab
