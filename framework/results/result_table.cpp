// Grouping runs into table cells and printing them as Markdown, LaTeX or CSV.
#include "framework/results/result_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"
#include "framework/results/table_format.h"

namespace aelab {
namespace {

/// A cell's runs: completed values and how many runs did not complete.
struct Cell {
  std::vector<double> values;
  int incomplete = 0;
};

/// Every leaf of a config as dotted path -> text.
void flatten(const ConfigNode& node, const std::string& path,
             std::map<std::string, std::string>& out) {
  if (node.is_map()) {
    for (const auto& [key, child] : node.entries())
      flatten(child, path.empty() ? key : path + "." + key, out);
    return;
  }
  out[path] = node.text();
}

/// The config keys, other than `seed`, whose values differ between runs that share a cell: what
/// a cell's mean is taken over besides seeds.
std::set<std::string> pooled_keys(
    const std::map<std::pair<std::string, std::string>,
                   std::vector<std::map<std::string, std::string>>>& configs_by_cell) {
  std::set<std::string> pooled;
  for (const auto& [cell, configs] : configs_by_cell) {
    for (size_t i = 1; i < configs.size(); ++i) {
      std::set<std::string> keys;
      for (const auto& [key, value] : configs[0]) keys.insert(key);
      for (const auto& [key, value] : configs[i]) keys.insert(key);
      for (const auto& key : keys) {
        auto a = configs[0].find(key), b = configs[i].find(key);
        bool same = a != configs[0].end() && b != configs[i].end() && a->second == b->second;
        if (!same && key != "seed") pooled.insert(key);
      }
    }
  }
  // When a section's plugin differs (`encoder.name`), its other options follow; name only it.
  std::set<std::string> named;
  for (const auto& key : pooled) {
    size_t dot = key.rfind('.');
    bool follows_a_name = dot != std::string::npos && key.substr(dot) != ".name" &&
                          pooled.count(key.substr(0, key.find('.')) + ".name");
    if (!follows_a_name) named.insert(key);
  }
  return named;
}

std::string format_cell(const Cell& cell, const TableSpec& spec) {
  if (cell.values.empty()) return cell.incomplete ? "diverged/failed" : "";
  double mean = 0;
  for (double v : cell.values) mean += v;
  mean /= static_cast<double>(cell.values.size());
  std::string text = fmt::format("{:.{}g}", mean, spec.digits);
  if (cell.values.size() > 1) {
    double var = 0;
    for (double v : cell.values) var += (v - mean) * (v - mean);
    double std = std::sqrt(var / static_cast<double>(cell.values.size() - 1));
    text +=
        fmt::format(spec.format == "latex" ? " $\\pm$ {:.{}g}" : " ± {:.{}g}", std, spec.digits);
  }
  return text;
}

/// Sorts numerically when every label is a number, else alphabetically.
void order_labels(std::vector<std::pair<std::string, ConfigNode>>& labels) {
  bool numeric = std::all_of(labels.begin(), labels.end(), [](const auto& label) {
    return label.second.kind() == ConfigNode::Kind::kInt ||
           label.second.kind() == ConfigNode::Kind::kFloat;
  });
  std::stable_sort(labels.begin(), labels.end(), [numeric](const auto& a, const auto& b) {
    return numeric ? a.second.as_float() < b.second.as_float() : a.first < b.first;
  });
}

}  // namespace

std::optional<double> metric_value(const RunRecord& run, const std::string& metric) {
  std::vector<std::string> parts = split(metric, '/');
  const MetricTable* table = &run.metrics;
  if (parts.size() == 4 && parts[0] == "baseline") {
    auto it = run.baselines.find(parts[1]);
    if (it == run.baselines.end()) return std::nullopt;
    table = &it->second;
    parts.erase(parts.begin(), parts.begin() + 2);
  }
  if (parts.size() != 2) return std::nullopt;
  auto split = table->find(parts[0]);
  if (split == table->end()) return std::nullopt;
  auto value = split->second.find(parts[1]);
  if (value == split->second.end()) return std::nullopt;
  return value->second;
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

std::vector<RunRecord> read_results(const std::string& results_dir) {
  namespace fs = std::filesystem;
  fs::path runs = fs::path(results_dir) / "runs";
  if (!fs::is_directory(runs))
    throw DataError(
        results_dir +
        ": no runs/ folder (give the folder run_sweep wrote, such as results/bottleneck)");
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(runs))
    if (entry.path().extension() == ".h5") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::vector<RunRecord> out;
  for (const auto& file : files) out.push_back(read_run_summary(file));
  if (out.empty()) throw DataError(runs.string() + ": no run files yet");
  return out;
}

std::vector<std::string> split_metric_list(const std::string& text) {
  std::vector<std::string> out;
  for (auto& item : split(text, ',')) {
    const size_t first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
    if (first == std::string::npos)
      throw ConfigError("--metric: an empty name in '" + text + "' (write names between commas)");
    out.push_back(item.substr(first, last - first + 1));
  }
  return out;
}

namespace {

using Labels = std::vector<std::pair<std::string, ConfigNode>>;

/// Runs grouped into cells: row and column labels, each (row, column, metric) cell's values, and
/// the flattened configs of each (row, column) for the pooled-keys title.
struct Tabulation {
  Labels rows, cols;
  std::map<std::tuple<std::string, std::string, size_t>, Cell> cells;
  std::map<std::pair<std::string, std::string>, std::vector<std::map<std::string, std::string>>>
      configs;
  std::vector<bool> metric_seen;
};

/// A config key of a run, or the derived `family`; nullopt when the run has no such key.
std::optional<ConfigNode> label_of(const ConfigNode& config, const std::string& key) {
  if (key.empty()) return ConfigNode::string("");
  if (key == "family") return ConfigNode::string(run_family(config));
  if (const ConfigNode* node = config.find(key)) return *node;
  return std::nullopt;
}

void remember(Labels& labels, const ConfigNode& value) {
  for (const auto& label : labels)
    if (label.first == value.text()) return;
  labels.emplace_back(value.text(), value);
}

void add_run(const RunRecord& run, const TableSpec& spec, Tabulation& table) {
  // Errors name the run file and the attribute: runs/<id>.h5 (config_yaml):LINE:COL.
  ConfigNode config = parse_yaml(run.config_yaml, "runs/" + run.run_id + ".h5 (config_yaml)");
  std::optional<ConfigNode> row = label_of(config, spec.rows), col = label_of(config, spec.cols);
  if (!row || !col) return;
  remember(table.rows, *row);
  remember(table.cols, *col);
  flatten(config, "", table.configs[{row->text(), col->text()}].emplace_back());
  for (size_t m = 0; m < spec.metrics.size(); ++m) {
    Cell& cell = table.cells[{row->text(), col->text(), m}];
    std::optional<double> value =
        run.status == "completed" ? metric_value(run, spec.metrics[m]) : std::nullopt;
    if (value) {
      cell.values.push_back(*value);
      table.metric_seen[m] = true;
    } else if (run.status != "completed") {
      ++cell.incomplete;
    }
  }
}

Tabulation tabulate(const std::vector<RunRecord>& runs, const TableSpec& spec) {
  Tabulation table;
  table.metric_seen.assign(spec.metrics.size(), false);
  for (const auto& run : runs) add_run(run, spec, table);
  if (table.rows.empty())
    throw ConfigError("--rows " + spec.rows + " / --cols " + spec.cols +
                      ": no run has both keys in its config (check the dotted names, or use "
                      "family)");
  for (size_t m = 0; m < spec.metrics.size(); ++m)
    if (!table.metric_seen[m])
      throw ConfigError("--metric " + spec.metrics[m] +
                        ": no completed run has it (examples: test/sse, val/mse, "
                        "baseline/pca/test/sse, test/nll_is)");
  order_labels(table.rows);
  order_labels(table.cols);
  return table;
}

/// Each column's mean over its rows' cell means; empty where some row has no value.
std::vector<std::string> mean_row_of(const Tabulation& table, const TableSpec& spec) {
  std::vector<std::string> line{"mean"};
  for (const auto& col : table.cols)
    for (size_t m = 0; m < spec.metrics.size(); ++m) {
      Cell means;
      for (const auto& row : table.rows) {
        auto cell = table.cells.find({row.first, col.first, m});
        if (cell == table.cells.end() || cell->second.values.empty()) {
          means.values.clear();
          break;
        }
        double sum = 0;
        for (double v : cell->second.values) sum += v;
        means.values.push_back(sum / static_cast<double>(cell->second.values.size()));
      }
      double mean = 0;
      for (double v : means.values) mean += v / static_cast<double>(means.values.size());
      line.push_back(means.values.empty() ? "" : format_cell(Cell{{mean}, 0}, spec));
    }
  return line;
}

/// One column per (column value, metric); a label names whichever of the two varies.
std::vector<std::vector<std::string>> grid_of(Tabulation& table, const TableSpec& spec) {
  std::vector<std::vector<std::string>> grid;
  std::vector<std::string> header{spec.rows};
  for (const auto& col : table.cols)
    for (const auto& metric : spec.metrics) {
      if (spec.metrics.size() == 1)
        header.push_back(col.first);
      else if (spec.cols.empty())
        header.push_back(metric);
      else
        header.push_back(col.first + " " + metric);
    }
  grid.push_back(header);
  for (const auto& row : table.rows) {
    std::vector<std::string> line{row.first};
    for (const auto& col : table.cols)
      for (size_t m = 0; m < spec.metrics.size(); ++m)
        line.push_back(format_cell(table.cells[{row.first, col.first, m}], spec));
    grid.push_back(line);
  }
  if (spec.mean_row) grid.push_back(mean_row_of(table, spec));
  return grid;
}

}  // namespace

std::string make_table(const std::vector<RunRecord>& runs, const TableSpec& spec) {
  if (spec.format != "md" && spec.format != "latex" && spec.format != "csv")
    throw ConfigError("--format: expected md, latex or csv, got '" + spec.format + "'");
  if (spec.metrics.empty())
    throw ConfigError("--metric: give at least one metric, such as test/sse");
  Tabulation table = tabulate(runs, spec);
  std::vector<std::vector<std::string>> grid = grid_of(table, spec);
  const std::string metric_names = join(spec.metrics, ", ");
  const std::set<std::string> pooled = pooled_keys(table.configs);
  const std::string spread =
      pooled.empty() ? "mean ± std over seeds"
                     : "mean ± std over seeds and over " +
                           join(std::vector<std::string>(pooled.begin(), pooled.end()), ", ") +
                           ", which differ within cells";
  if (spec.format == "csv") return render_csv(grid);
  if (spec.format == "latex")
    return render_latex(grid, metric_names + " by " + spec.rows + " (rows)" +
                                  (spec.cols.empty() ? "" : " and " + spec.cols + " (columns)") +
                                  "; " + spread);
  return render_markdown(grid, metric_names + " (" + spread + ")");
}

}  // namespace aelab
