// Grouping runs into table cells.
#include "framework/results/table_cells.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"
#include "framework/results/baseline_cells.h"
#include "framework/results/cell_pooling.h"
#include "framework/results/run_metrics.h"
#include "framework/results/table_runs.h"

namespace aelab {
namespace {

bool is_number(const ConfigNode& node) {
  return node.kind() == ConfigNode::Kind::kInt || node.kind() == ConfigNode::Kind::kFloat;
}

/// Baselines after the runs' own, in the order --baseline names them, then key by key: numbers
/// by value before text, text alphabetically, null (`all`) last.
void order_labels(std::vector<TableLabel>& labels, const std::vector<std::string>& baselines) {
  auto rank = [&](const TableLabel& label) {  // in the order --baseline names them
    return std::find(baselines.begin(), baselines.end(), label.baseline_name) - baselines.begin();
  };
  std::stable_sort(labels.begin(), labels.end(), [&](const TableLabel& a, const TableLabel& b) {
    if (a.baseline != b.baseline) return b.baseline;
    if (a.baseline && rank(a) != rank(b)) return rank(a) < rank(b);
    for (size_t i = 0; i < a.values.size(); ++i) {
      const ConfigNode &x = a.values[i], &y = b.values[i];
      const int rank_x = is_number(x) ? 0 : x.kind() == ConfigNode::Kind::kNull ? 2 : 1;
      const int rank_y = is_number(y) ? 0 : y.kind() == ConfigNode::Kind::kNull ? 2 : 1;
      if (rank_x != rank_y) return rank_x < rank_y;
      if (rank_x == 0 && x.as_float() != y.as_float()) return x.as_float() < y.as_float();
      if (rank_x == 1 && x.text() != y.text()) return x.text() < y.text();
    }
    return false;
  });
}

/// `runs`, and for each name of `baselines` a run of its own made of each run's
/// /baseline/<name> metrics. A baseline equal to one already present (the PCA beside every
/// model of one seed and k, or a `model=pca` run) is counted once.
std::vector<TableRun> with_baselines(std::vector<TableRun> runs, const CellSpec& spec) {
  const size_t own = runs.size();
  std::set<std::vector<std::string>> seen;
  auto identity = [&](const TableRun& run, const std::string& prefix) {
    std::vector<std::string> id{run.family, std::to_string(run.record->seed)};
    for (const auto* keys : {&spec.row_keys, &spec.col_keys})
      for (const auto& key : *keys)
        if (key != "family" && key != "source") {
          std::optional<ConfigNode> value = label_of(run, key);
          id.push_back(value ? value->text() : "");
        }
    for (const auto& metric : spec.metrics) {
      auto value = metric_value(*run.record, prefix + metric);
      id.push_back(value ? fmt::format("{:.17g}", *value) : "-");
    }
    return id;
  };
  for (size_t i = 0; i < own; ++i) seen.insert(identity(runs[i], ""));
  for (const auto& name : spec.baselines) {
    bool found = false;
    for (size_t i = 0; i < own; ++i) {
      if (!runs[i].record->baselines.count(name)) continue;
      found = true;
      TableRun baseline{runs[i].record, runs[i].config, name, name};
      if (seen.insert(identity(baseline, baseline_prefix(name))).second)
        runs.push_back(std::move(baseline));
    }
    if (!found) {
      std::set<std::string> recorded;
      for (size_t i = 0; i < own; ++i)
        for (const auto& [other, splits] : runs[i].record->baselines) recorded.insert(other);
      throw ConfigError("--baseline " + name + ": no run records /baseline/" + name +
                        (recorded.empty()
                             ? std::string(" (these runs record no baseline)")
                             : suggestion_suffix(name, std::vector<std::string>(recorded.begin(),
                                                                                recorded.end()))));
    }
    // A baseline without the table's metrics would be a column of empty cells.
    std::set<std::string> recorded;
    bool any_metric = false;
    for (size_t i = 0; i < own; ++i) {
      auto it = runs[i].record->baselines.find(name);
      if (it == runs[i].record->baselines.end()) continue;
      for (const auto& [split, metrics] : it->second)
        for (const auto& [metric, value] : metrics) recorded.insert(split + "/" + metric);
      for (const auto& metric : spec.metrics)
        any_metric = any_metric || metric_value(*runs[i].record, baseline_prefix(name) + metric);
    }
    if (!any_metric)
      throw ConfigError(fmt::format(
          "--baseline {}: its runs record none of {} under /baseline/{} (they record {}; choose "
          "one with --metric)",
          name, join(spec.metrics, ", "), name,
          join(std::vector<std::string>(recorded.begin(), recorded.end()), ", ")));
  }
  return runs;
}

/// `; they are runs of experiment=transfer`, of the completed runs: a metric of another
/// experiment (test/auroc of anomaly runs) is no typo.
std::string experiments_that_ran(const std::vector<TableRun>& runs) {
  std::set<std::string> experiments;
  for (const auto& run : runs) {
    const ConfigNode* name = run.config.find("experiment.name");
    if (run.record->status == "completed" && name && name->is_scalar())
      experiments.insert("experiment=" + name->text());
  }
  return experiments.empty()
             ? ""
             : "; they are runs of " + join({experiments.begin(), experiments.end()}, ", ");
}

void remember(std::vector<TableLabel>& labels, const TableLabel& label) {
  for (const auto& known : labels)
    if (known.text == label.text) return;
  labels.push_back(label);
}

/// Leaves out the rows and columns whose cells hold no value and no run that did not complete:
/// those only runs without the table's metrics would fill.
void drop_empty_labels(Tabulation& table, size_t metrics) {
  const auto filled = [&](const std::string& row, const std::string& col) {
    for (size_t m = 0; m < metrics; ++m) {
      auto cell = table.cells.find({row, col, m});
      if (cell != table.cells.end() &&
          (!cell->second.values.empty() || !cell->second.incomplete.empty()))
        return true;
    }
    return false;
  };
  const auto keep = [&](std::vector<TableLabel>& labels, bool rows) {
    std::vector<TableLabel> kept;
    for (auto& label : labels) {
      bool any = false;
      for (const auto& other : rows ? table.cols : table.rows)
        any = any || (rows ? filled(label.text, other.text) : filled(other.text, label.text));
      if (any) kept.push_back(std::move(label));
    }
    labels = std::move(kept);
  };
  keep(table.rows, true);
  keep(table.cols, false);
}

/// The column keys: --cols, then `source` for the baselines unless a row or column key tells
/// them apart already (a key that names the model, `--cols model`, names a baseline by its name).
std::vector<std::string> column_keys(const CellSpec& spec) {
  std::vector<std::string> col_keys = spec.col_keys;
  auto names_model = [](const std::vector<std::string>& keys) {
    return std::any_of(keys.begin(), keys.end(), names_the_model);
  };
  if (!spec.baselines.empty() && !names_model(spec.row_keys) && !names_model(col_keys))
    col_keys.push_back("source");
  return col_keys;
}

std::string experiment_of(const TableRun& run) {
  const ConfigNode* name = run.config.find("experiment.name");
  return name && name->is_scalar() ? name->text() : std::string();
}

/// The experiments of the table: those whose completed runs record some of the metrics. A run
/// of another experiment that did not complete would only add rows of `1 failed`.
std::set<std::string> experiments_with_metrics(const std::vector<TableRun>& runs,
                                               const CellSpec& spec) {
  std::set<std::string> experiments;
  for (const auto& run : runs)
    if (run.record->status == "completed")
      for (const auto& metric : spec.metrics)
        if (metric_value(*run.record, baseline_prefix(run.baseline) + metric))
          experiments.insert(experiment_of(run));
  return experiments;
}

/// The flattened configs of the runs whose values each cell (row text, column text) pools: the
/// runs' own, and the baselines' with the name of each.
struct CellConfigs {
  std::map<std::pair<std::string, std::string>, std::vector<std::map<std::string, std::string>>>
      of_runs;
  std::map<std::pair<std::string, std::string>, std::vector<BaselineRun>> of_baselines;
};

/// Puts `run` in its row and column: its values (or its status, where it did not complete) into
/// the cells of each metric, its config among those its cell pools. A run that lacks a row or
/// column key is counted in `table.keyless` (a baseline goes with its run).
void place_run(const TableRun& run, const CellSpec& spec, const std::vector<std::string>& col_keys,
               Tabulation& table, CellConfigs& configs, std::vector<bool>& metric_seen) {
  std::optional<TableLabel> row = label_for(run, spec.row_keys);
  std::optional<TableLabel> col = label_for(run, col_keys);
  if (!row || !col) {
    std::vector<std::string> keys = spec.row_keys;
    keys.insert(keys.end(), col_keys.begin(), col_keys.end());
    auto missing = std::find_if(keys.begin(), keys.end(), [&](const std::string& key) {
      return !label_of(run, key).has_value();
    });
    if (run.baseline.empty() && missing != keys.end()) ++table.keyless[*missing];
    return;
  }
  remember(table.rows, *row);
  remember(table.cols, *col);
  const bool completed = run.record->status == "completed";
  const std::string prefix = baseline_prefix(run.baseline);
  bool any_value = false;
  for (size_t m = 0; m < spec.metrics.size(); ++m) {
    Cell& cell = table.cells[{row->text, col->text, m}];
    std::optional<double> value =
        completed ? metric_value(*run.record, prefix + spec.metrics[m]) : std::nullopt;
    if (value) {
      cell.values.push_back(*value);
      metric_seen[m] = true;
      any_value = true;
    } else if (!completed) {
      ++cell.incomplete[run.record->status.empty() ? "unfinished" : run.record->status];
    }
  }
  if (completed && !any_value && run.baseline.empty()) ++table.lacking;
  if (!completed || !any_value) return;
  const ConfigNode* test_subset = run.config.find("data.test_subset");
  table.test_subsets.insert(
      test_subset && test_subset->kind() == ConfigNode::Kind::kInt ? test_subset->as_int() : 0);
  std::map<std::string, std::string> flat;
  flatten(run.config, "", flat);
  if (run.baseline.empty())
    configs.of_runs[{row->text, col->text}].push_back(std::move(flat));
  else
    configs.of_baselines[{row->text, col->text}].push_back({run.baseline, std::move(flat)});
}

/// A table with no row: a --rows or --cols key that no run has, or keys that no one run has
/// all of.
ConfigError no_rows_error(const CellSpec& spec, const std::vector<std::string>& col_keys,
                          const std::vector<TableRun>& runs, const Tabulation& table) {
  for (const auto& [option, keys] : {std::pair{"--rows", spec.row_keys}, {"--cols", col_keys}})
    for (const auto& key : keys)
      if (std::none_of(runs.begin(), runs.end(),
                       [&](const TableRun& run) { return label_of(run, key).has_value(); }))
        return ConfigError(std::string(option) + " " + key + ": no run has this key" +
                           key_hint(key, runs));
  std::vector<std::string> found;  // each key is in some run, none in one run with the rest
  for (const auto& [key, count] : table.keyless)
    found.push_back(fmt::format("{} {} no {}", count, count == 1 ? "has" : "have", key));
  const auto own_runs = std::count_if(runs.begin(), runs.end(),
                                      [](const TableRun& run) { return run.baseline.empty(); });
  return ConfigError("--rows " + join(spec.row_keys, ",") +
                     (spec.col_keys.empty() ? "" : " / --cols " + join(spec.col_keys, ",")) +
                     ": no run has all of these keys in its config" +
                     (found.empty()
                          ? std::string(" (check the dotted names, or use family or a group name "
                                        "such as model)")
                          : " (each key is some runs': of the " + std::to_string(own_runs) +
                                " runs, " + join(found, ", ") +
                                "; make a table of the runs that share keys, with --where)"));
}

/// A metric that no completed run has: what the runs are instead, or the metrics they have.
ConfigError missing_metric_error(const std::string& metric, const std::vector<TableRun>& runs) {
  std::set<std::string> names;
  for (const auto& run : runs)
    if (run.record->status == "completed")
      for (auto& name : metric_names(*run.record)) names.insert(std::move(name));
  if (names.empty()) {  // whatever the metric: say what the table's runs are
    std::vector<std::string> statuses;
    for (const auto& run : runs) statuses.push_back(run.record->status);
    return ConfigError(nothing_completed_message(statuses));
  }
  return ConfigError("--metric " + metric + ": no completed run has it" +
                     experiments_that_ran(runs) + metric_hint(metric, names));
}

}  // namespace

std::string Tabulation::pooled_keys() const {
  return join(std::vector<std::string>(pooled.begin(), pooled.end()), ", ");
}

std::string incomplete_text(const Cell& cell) {
  std::vector<std::string> parts;
  for (const auto& [status, count] : cell.incomplete)
    parts.push_back(std::to_string(count) + " " + status);
  return join(parts, ", ");
}

std::string nothing_completed_message(const std::vector<std::string>& statuses) {
  Cell counted;
  for (const auto& status : statuses) ++counted.incomplete[status.empty() ? "unfinished" : status];
  return "no run of the table has completed (" + incomplete_text(counted) +
         ": run_sweep --status on its folder says why)";
}

std::string run_family(const ConfigNode& config) {
  auto name_of = [&](const char* key) {
    const ConfigNode* node = config.find(key);
    return node && node->kind() == ConfigNode::Kind::kString ? node->as_string() : "";
  };
  std::string model = name_of("model.name");
  std::string encoder = name_of("encoder.name"), decoder = name_of("decoder.name");
  if (model == "ae" || (model == "mlp" && !encoder.empty())) {  // `mlp`: files before presets
    if (encoder.empty()) return model;
    return decoder.empty() || decoder == encoder ? encoder : encoder + "/" + decoder;
  }
  return model;
}

std::vector<std::string> split_list(const std::string& text, const std::string& option) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  for (auto& item : split(text, ',')) {
    const size_t first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
    if (first == std::string::npos)
      throw ConfigError(option + ": an empty name in '" + text + "' (write names between commas)");
    out.push_back(item.substr(first, last - first + 1));
  }
  return out;
}

Tabulation tabulate(const std::vector<RunRecord>& records, const CellSpec& spec) {
  // Filters pick the runs; their baselines come with them.
  Tabulation table;
  std::vector<TableRun> kept = filtered(table_runs_of(records), spec.where, &table.where_keyless);
  std::vector<std::string> shown_keys = spec.row_keys;
  shown_keys.insert(shown_keys.end(), spec.col_keys.begin(), spec.col_keys.end());
  name_presets_apart(kept, shown_keys);
  const std::vector<TableRun> runs = with_baselines(std::move(kept), spec);
  const std::vector<std::string> col_keys = column_keys(spec);
  CellConfigs configs;
  std::vector<bool> metric_seen(spec.metrics.size(), false);
  const std::set<std::string> table_experiments = experiments_with_metrics(runs, spec);
  for (const auto& run : runs) {
    if (run.record->status != "completed" && !table_experiments.empty() &&
        !table_experiments.count(experiment_of(run))) {
      ++table.unfinished_elsewhere[experiment_of(run)];
      continue;
    }
    place_run(run, spec, col_keys, table, configs, metric_seen);
  }
  if (table.rows.empty()) throw no_rows_error(spec, col_keys, runs, table);
  for (size_t m = 0; m < spec.metrics.size(); ++m)
    if (!metric_seen[m]) throw missing_metric_error(spec.metrics[m], runs);
  drop_empty_labels(table, spec.metrics.size());
  if (col_keys.size() > 1 && col_keys.back() == "source")
    merge_repeated_baseline_columns(table, spec.metrics.size(), spec.relative_to);
  order_labels(table.rows, spec.baselines);
  order_labels(table.cols, spec.baselines);
  const std::map<std::string, bool> follows_the_model =
      baselines_following_the_model(runs, spec.baselines, spec.metrics);
  for (auto& [cell, recorded] : configs.of_baselines)
    for (auto& flat : configs_of_baseline_cell(std::move(recorded), follows_the_model))
      configs.of_runs[cell].push_back(std::move(flat));
  const PooledKeys pooled = pooled_keys(configs.of_runs);
  table.pooled = pooled.keys;
  table.seeds_pooled = pooled.seeds;
  return table;
}

}  // namespace aelab
