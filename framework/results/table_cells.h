// Runs grouped into a table's cells: filters (--where), row and column labels from config keys,
// group choices or the model family, and baselines recorded inside runs as runs of their own.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "framework/core/config_node.h"
#include "framework/results/run_metrics.h"
#include "framework/results/run_record.h"

namespace aelab {

/// One label of a row or column: the text shown, and one value per key (for ordering).
struct TableLabel {
  std::string text;
  std::vector<ConfigNode> values;
  bool baseline = false;      ///< first seen on a baseline (`--baseline`): after the runs' own
  std::string baseline_name;  ///< that baseline's name (`pca`), for the order --baseline gives
};

/// What the cells are made of.
struct CellSpec {
  std::vector<std::string> row_keys, col_keys;  ///< config keys, group names or `family`
  std::vector<std::string> metrics;
  /// `key=value`: only runs whose key has the value (`key=a,b`: either; where_filter.h)
  std::vector<std::string> where;
  std::vector<std::string> baselines;  ///< names under /baseline tabulated as runs of their own
  std::string relative_to;             ///< --relative-to: the one baseline whose columns may merge
};

/// A cell's values over runs (seeds) and how many of its runs did not complete.
struct Cell {
  std::vector<double> values;
  std::map<std::string, int> incomplete;  ///< status (diverged, interrupted...) -> runs
};

/// "2 diverged, 1 interrupted": the runs of `cell` that did not complete; "" when none.
std::string incomplete_text(const Cell& cell);

/// The message for a table none of whose runs completed, with their `statuses` counted:
/// "no run of the table has completed (1 diverged: run_sweep --status on its folder says why)".
std::string nothing_completed_message(const std::vector<std::string>& statuses);

/// Rows and columns in display order; cells by (row text, column text, metric index).
struct Tabulation {
  std::vector<TableLabel> rows, cols;
  std::map<std::tuple<std::string, std::string, size_t>, Cell> cells;
  /// Config keys other than `seed` that differ between runs of one cell (what a cell pools).
  std::set<std::string> pooled;
  /// `pooled` as the title and the warnings name them: `decoder.name, encoder.name`.
  std::string pooled_keys() const;
  bool seeds_pooled = false;  ///< some cell holds runs of different seeds
  /// The `data.test_subset` of the runs whose values the cells hold, where one measured only
  /// the first N test images; 0 for a run that measured them all.
  std::set<int64_t> test_subsets;
  /// Completed runs that have none of the metrics (runs of another experiment in the same
  /// folders): left out, with the rows and columns only they would fill.
  size_t lacking = 0;
  /// Runs that did not complete, of experiments whose completed runs have none of the metrics
  /// (an anomaly run that failed, beside a table of test/sse): left out too, by experiment.
  std::map<std::string, size_t> unfinished_elsewhere;
  /// Runs left out because their config lacks a --rows or --cols key (a noise level beside runs
  /// of another noise model), counted by the first key each lacks.
  std::map<std::string, size_t> keyless;
  /// Runs that a --where item left out for lacking its key, by item, then by family.
  std::map<std::string, std::map<std::string, size_t>> where_keyless;
};

/// A run's readable model family, for labels: `pca`, `vae`, the encoder of an `ae` (`linear`,
/// `mlp`, `conv`, or `conv/mlp` when the decoder differs); files written before model presets
/// (model.name `linear` or `mlp`) get the same labels.
std::string run_family(const ConfigNode& config);

/// Splits `a,b` (keys or metrics) and trims each; ConfigError naming `option` for an empty item.
std::vector<std::string> split_list(const std::string& text, const std::string& option);

/// Groups `runs` into cells. ConfigError when a key, filter or metric matches no run.
Tabulation tabulate(const std::vector<RunRecord>& runs, const CellSpec& spec);

}  // namespace aelab
