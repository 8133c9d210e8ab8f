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

std::optional<double> metric_of(const RunRecord& run, const std::string& metric) {
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

}  // namespace

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
  for (const auto& file : files) out.push_back(read_run_file(file));
  if (out.empty()) throw DataError(runs.string() + ": no run files yet");
  return out;
}

std::vector<std::string> split_metric_list(const std::string& text) {
  std::vector<std::string> out;
  for (auto& item : split(text, ','))
    if (!item.empty()) out.push_back(std::move(item));
  return out;
}

std::string make_table(const std::vector<RunRecord>& runs, const TableSpec& spec) {
  if (spec.format != "md" && spec.format != "latex" && spec.format != "csv")
    throw ConfigError("--format: expected md, latex or csv, got '" + spec.format + "'");
  if (spec.metrics.empty())
    throw ConfigError("--metric: give at least one metric, such as test/sse");
  std::vector<std::pair<std::string, ConfigNode>> row_labels, col_labels;
  // (row, column, metric index) -> the runs' values
  std::map<std::tuple<std::string, std::string, size_t>, Cell> cells;
  std::vector<bool> metric_seen(spec.metrics.size(), false);
  auto remember = [](std::vector<std::pair<std::string, ConfigNode>>& labels,
                     const ConfigNode& value) {
    for (const auto& label : labels)
      if (label.first == value.text()) return;
    labels.emplace_back(value.text(), value);
  };
  const ConfigNode no_column = ConfigNode::string("");
  std::map<std::pair<std::string, std::string>, std::vector<std::map<std::string, std::string>>>
      configs_by_cell;
  for (const auto& run : runs) {
    ConfigNode config = parse_yaml(run.config_yaml, run.run_id);
    const ConfigNode* row = config.find(spec.rows);
    const ConfigNode* col = spec.cols.empty() ? &no_column : config.find(spec.cols);
    if (!row || !col) continue;
    remember(row_labels, *row);
    remember(col_labels, *col);
    flatten(config, "", configs_by_cell[{row->text(), col->text()}].emplace_back());
    for (size_t m = 0; m < spec.metrics.size(); ++m) {
      Cell& cell = cells[{row->text(), col->text(), m}];
      std::optional<double> value =
          run.status == "completed" ? metric_of(run, spec.metrics[m]) : std::nullopt;
      if (value) {
        cell.values.push_back(*value);
        metric_seen[m] = true;
      } else if (run.status != "completed") {
        ++cell.incomplete;
      }
    }
  }
  if (row_labels.empty())
    throw ConfigError("--rows " + spec.rows + " / --cols " + spec.cols +
                      ": no run has both keys in its config (check the dotted names)");
  for (size_t m = 0; m < spec.metrics.size(); ++m)
    if (!metric_seen[m])
      throw ConfigError("--metric " + spec.metrics[m] +
                        ": no completed run has it (examples: test/sse, val/mse, "
                        "baseline/pca/test/sse, test/nll_is)");
  order_labels(row_labels);
  order_labels(col_labels);

  // One column per (column value, metric); a label names whichever of the two varies.
  std::vector<std::vector<std::string>> grid;
  std::vector<std::string> header{spec.rows};
  for (const auto& col : col_labels)
    for (const auto& metric : spec.metrics) {
      if (spec.metrics.size() == 1)
        header.push_back(col.first);
      else if (spec.cols.empty())
        header.push_back(metric);
      else
        header.push_back(col.first + " " + metric);
    }
  grid.push_back(header);
  for (const auto& row : row_labels) {
    std::vector<std::string> line{row.first};
    for (const auto& col : col_labels)
      for (size_t m = 0; m < spec.metrics.size(); ++m)
        line.push_back(format_cell(cells[{row.first, col.first, m}], spec));
    grid.push_back(line);
  }
  const std::string metric_names = join(spec.metrics, ", ");
  const std::set<std::string> pooled = pooled_keys(configs_by_cell);
  const std::string spread =
      pooled.empty() ? "mean ± std over seeds"
                     : "mean ± std over seeds and over " +
                           join(std::vector<std::string>(pooled.begin(), pooled.end()), ", ") +
                           ", which differ within cells";
  const size_t value_columns = grid[0].size() - 1;

  std::string out;
  if (spec.format == "csv") {
    for (const auto& line : grid) {
      for (size_t i = 0; i < line.size(); ++i) out += (i ? "," : "") + line[i];
      out += "\n";
    }
  } else if (spec.format == "latex") {
    out += "% " + metric_names + " by " + spec.rows + " (rows)" +
           (spec.cols.empty() ? "" : " and " + spec.cols + " (columns)") + "; " + spread + "\n";
    out += "\\begin{tabular}{l" + std::string(value_columns, 'r') + "}\n\\toprule\n";
    for (size_t r = 0; r < grid.size(); ++r) {
      for (size_t i = 0; i < grid[r].size(); ++i) {
        std::string text = grid[r][i];
        for (size_t p = 0; (p = text.find('_', p)) != std::string::npos; p += 2)
          text.replace(p, 1, "\\_");
        out += (i ? " & " : "") + text;
      }
      out += " \\\\\n";
      if (r == 0) out += "\\midrule\n";
    }
    out += "\\bottomrule\n\\end{tabular}\n";
  } else {
    std::vector<size_t> widths(grid[0].size(), 3);
    auto width_of = [](const std::string& s) {  // counts UTF-8 code points (± is two bytes)
      size_t n = 0;
      for (unsigned char c : s) n += (c & 0xC0) != 0x80;
      return n;
    };
    for (const auto& line : grid)
      for (size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], width_of(line[i]));
    auto emit = [&](const std::vector<std::string>& line) {
      out += "|";
      for (size_t i = 0; i < line.size(); ++i)
        out += " " + line[i] + std::string(widths[i] - width_of(line[i]), ' ') + " |";
      out += "\n";
    };
    out += metric_names + " (" + spread + ")\n\n";
    emit(grid[0]);
    out += "|";  // first column left-aligned, numbers right-aligned
    for (size_t i = 0; i < widths.size(); ++i)
      out += i ? std::string(widths[i] + 1, '-') + ":|" : std::string(widths[i] + 2, '-') + "|";
    out += "\n";
    for (size_t r = 1; r < grid.size(); ++r) emit(grid[r]);
  }
  return out;
}

}  // namespace aelab
