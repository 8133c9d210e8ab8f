// A table's cells summarized, formatted and laid out as Markdown, LaTeX or CSV.
#include "framework/results/result_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/results/metric_direction.h"
#include "framework/results/number_format.h"
#include "framework/results/table_format.h"
#include "framework/results/table_order.h"
#include "framework/results/table_renames.h"
#include "framework/results/table_runs.h"
#include "framework/results/table_summaries.h"
#include "framework/results/table_warnings.h"
#include "framework/results/test_subset_note.h"

namespace aelab {
namespace {

std::string cell_text(const Summary& s, const NumberFormat& format, const TableSpec& spec,
                      bool bold) {
  std::string text = format(s.centre);
  if (s.spread && *s.spread > 0 && spec.agg == "median")
    text += " (IQR " + format.spread(*s.spread) + ")";
  else if (s.spread && *s.spread > 0)
    text += (spec.format == "latex" ? " $\\pm$ " : " ± ") + format.spread(*s.spread);
  if (!s.incomplete.empty())  // the mean of fewer runs than the cell has
    text += " (" + s.incomplete + ")";
  if (!bold || spec.format == "csv") return text;
  return spec.format == "latex" ? "\\textbf{" + text + "}" : "**" + text + "**";
}

/// Which values compete for bold: those of a row (the columns of its metric) or those of a
/// column (its rows). Columns where each metric has a single column, or where the rows name the
/// models (family, model, encoder.name) and the columns do not (--rows family --cols
/// model.latent_dim compares the families at each k, not each family's k); rows otherwise. Seeds
/// never compete: a best seed is chance, not a choice (--rows seed compares along the rows, or
/// nothing where each metric has a single column).
enum class BoldAxis { row, column, none };

BoldAxis bold_axis(const std::vector<Column>& columns, const TableSpec& spec) {
  auto names_models = [](const std::string& keys) {
    std::vector<std::string> listed = split_list(keys, "keys");
    return std::any_of(listed.begin(), listed.end(), names_the_model);
  };
  auto only_seeds = [](const std::string& keys) { return keys == "seed"; };
  bool single_columns = true;
  for (size_t c = 1; c < columns.size(); ++c)
    for (size_t k = 0; k < c; ++k)
      if (columns[k].metric == columns[c].metric) single_columns = false;
  const bool down_columns =
      (names_models(spec.rows) && (spec.cols.empty() || !names_models(spec.cols))) ||
      single_columns;
  const bool rows_rankable = !only_seeds(spec.rows), columns_rankable = !only_seeds(spec.cols);
  if (down_columns && rows_rankable) return BoldAxis::column;
  if (!single_columns && columns_rankable) return BoldAxis::row;
  if (rows_rankable) return BoldAxis::column;
  return BoldAxis::none;
}

/// The places of the row keys that rows compared down a column share: where some row keys name
/// the models (family), the others (model.latent_dim); and `seed` always (a best seed is chance).
/// Empty where no row key names a model and none is the seed.
std::vector<size_t> keys_besides_models(const std::vector<std::string>& row_keys) {
  std::vector<size_t> others;
  const bool models = std::any_of(row_keys.begin(), row_keys.end(), names_the_model);
  for (size_t k = 0; k < row_keys.size(); ++k)
    if ((models && !names_the_model(row_keys[k])) || row_keys[k] == "seed") others.push_back(k);
  return others;
}

/// Each column's seed where the columns' keys hold `seed` beside others (`--cols
/// seed,model.latent_dim`): columns compared along a row share it. "" each otherwise.
std::vector<std::string> column_seeds(const std::vector<Column>& columns, const TableSpec& spec) {
  std::vector<std::string> seeds(columns.size());
  if (spec.cols.empty()) return seeds;
  const std::vector<std::string> keys = split_list(spec.cols, "--cols");
  const auto seed = std::find(keys.begin(), keys.end(), "seed");
  if (seed == keys.end() || keys.size() == 1) return seeds;
  const size_t at = static_cast<size_t>(seed - keys.begin());
  for (size_t c = 0; c < columns.size(); ++c)
    if (at < columns[c].label->values.size()) seeds[c] = columns[c].label->values[at].text();
  return seeds;
}

/// Whether (r, c) holds the best value of its row among the columns of its metric (of its
/// column among the rows of its group, by `axis`: bold_axis()), ties as printed
/// included: a rival beats it only where the two print differently in its own column's format
/// or in the rival's. `row_groups`: each row of the table's, the rows compared down a column;
/// `column_groups`: each column's, the columns compared along a row.
bool is_best(const SummaryGrid& grid, const std::vector<Column>& columns,
             const std::vector<NumberFormat>& formats, const std::vector<std::string>& row_groups,
             const std::vector<std::string>& column_groups, size_t r, size_t c,
             const TableSpec& spec, BoldAxis axis) {
  const size_t rows = row_groups.size();
  auto higher = higher_is_better(spec.metrics[columns[c].metric], spec.higher_is_better);
  if (!spec.bold || axis == BoldAxis::none || !higher || r >= rows || !grid[r][c] ||
      !std::isfinite(grid[r][c]->centre))
    return false;
  std::vector<std::pair<size_t, size_t>> rivals;
  if (axis == BoldAxis::column) {
    for (size_t other = 0; other < rows; ++other)
      if (row_groups[other] == row_groups[r]) rivals.emplace_back(other, c);
  } else {
    for (size_t k = 0; k < columns.size(); ++k)
      if (columns[k].metric == columns[c].metric && column_groups[k] == column_groups[c])
        rivals.emplace_back(r, k);
  }
  int compared = 0;
  const double mine = grid[r][c]->centre;
  for (const auto& [rr, cc] : rivals) {
    if ((rr == r && cc == c) || !grid[rr][cc] || !std::isfinite(grid[rr][cc]->centre)) continue;
    ++compared;
    const double theirs = grid[rr][cc]->centre;
    const bool better = *higher ? theirs > mine : theirs < mine;
    // A tie as printed where both columns print the two alike (a column of --relative-to's
    // reference, all 1, prints 0.54 as 1 too).
    const bool tie =
        formats[c](theirs) == formats[c](mine) && formats[cc](theirs) == formats[cc](mine);
    if (better && !tie) return false;
  }
  return compared > 0;
}

/// How each column prints its numbers (format_for). A difference from --relative-to's reference
/// takes the fixed decimals of the values themselves (AUROCs of 0.9 give -0.0409, -0.0009 and
/// 0.0000), not the significant digits of each small difference.
std::vector<NumberFormat> column_formats(const Tabulation& table,
                                         const std::vector<Column>& columns,
                                         const SummaryGrid& summaries, const TableSpec& spec) {
  SummaryGrid values;
  if (!spec.relative_to.empty()) {
    TableSpec plain = spec;
    plain.relative_to.clear();
    values = summaries_of(table, columns, plain);
  }
  std::vector<NumberFormat> formats;
  for (size_t c = 0; c < columns.size(); ++c) {
    const std::string& metric = spec.metrics[columns[c].metric];
    if (!values.empty() && compared_by_difference(metric))
      if (NumberFormat of_values = format_for(values, c, spec.digits); of_values.fixed) {
        formats.push_back(of_values);
        continue;
      }
    formats.push_back(
        format_for(summaries, c, spec.digits, is_count(metric) && spec.relative_to.empty()));
  }
  return formats;
}

/// The table's cells as Markdown or LaTeX print them, the best in bold; `*bolded` (when given)
/// says whether any cell is (a value alone in its row or column has no rival to beat).
TableGrid text_grid(const Tabulation& table, const TableSpec& spec,
                    const std::vector<std::string>& row_keys, bool* bolded = nullptr) {
  const std::vector<Column> columns = columns_of(table, spec);
  const SummaryGrid summaries = summaries_of(table, columns, spec);
  TableGrid grid;
  std::vector<std::string> header = row_keys;
  for (const auto& column : columns) header.push_back(column.header);
  grid.push_back(header);
  const std::vector<NumberFormat> formats = column_formats(table, columns, summaries, spec);
  const BoldAxis axis = bold_axis(columns, spec);
  // Rows that name the models are compared down a column among those alike in the other row
  // keys: --rows family,model.latent_dim compares the families at each k, not across k; and
  // rows or columns of several seeds, within each seed.
  const std::vector<size_t> others = keys_besides_models(row_keys);
  std::vector<std::string> row_groups;
  for (const auto& row : table.rows) {
    std::string group;
    for (size_t k : others) group += (k < row.values.size() ? row.values[k].text() : "") + "\n";
    row_groups.push_back(group);
  }
  const std::vector<std::string> seed_of_column = column_seeds(columns, spec);
  for (size_t r = 0; r < summaries.size(); ++r) {
    std::vector<std::string> line = row_label_cells(table, r, row_keys.size());
    for (size_t c = 0; c < columns.size(); ++c) {
      if (summaries[r][c]) {
        const bool best =
            is_best(summaries, columns, formats, row_groups, seed_of_column, r, c, spec, axis);
        if (best && bolded) *bolded = true;
        line.push_back(cell_text(*summaries[r][c], formats[c], spec, best));
        continue;
      }
      const Cell* cell = cell_at(table, r, columns[c]);
      line.push_back(cell ? incomplete_text(*cell) : "");
    }
    grid.push_back(line);
  }
  return grid;
}

/// The table for pandas: each value column, named by its label and metric, as its centre (its mean,
/// or median with --agg median, as its header says), its spread (std, or with --agg median the
/// interquartile range) and number of completed runs at full precision, and, where some run of the
/// column did not complete, what did not. The ratios (or dB differences) --relative-to asks for say
/// so in their headers.
TableGrid csv_grid(const Tabulation& table, const TableSpec& spec,
                   const std::vector<std::string>& row_keys) {
  const std::vector<Column> columns = columns_of(table, spec);
  const SummaryGrid summaries = summaries_of(table, columns, spec);
  const auto relative = [&](const Column& column) -> std::string {
    if (spec.relative_to.empty()) return "";
    const RelativeForm form = relative_form(spec.metrics[column.metric]);
    if (!form.difference) return " (relative to " + spec.relative_to + ")";
    return " (minus " + spec.relative_to + (form.unit.empty() ? "" : " in " + form.unit) + ")";
  };
  std::vector<bool> incomplete(columns.size(), false);
  for (size_t r = 0; r < table.rows.size(); ++r)
    for (size_t c = 0; c < columns.size(); ++c)
      if (const Cell* cell = cell_at(table, r, columns[c]); cell && !cell->incomplete.empty())
        incomplete[c] = true;
  const std::string centre = spec.agg == "median" ? " median" : "";
  TableGrid grid;
  std::vector<std::string> header = row_keys;
  for (size_t c = 0; c < columns.size(); ++c) {
    // A CSV has no title to name the metric: each header names it (`2 test/sse std`).
    const std::string& label = columns[c].label->text;
    const std::string& metric = spec.metrics[columns[c].metric];
    const std::string name = label.empty() ? metric : label + " " + metric;
    header.push_back(name + centre + relative(columns[c]));
    header.push_back(name + (spec.agg == "median" ? " iqr" : " std") + relative(columns[c]));
    header.push_back(name + " n");
    if (incomplete[c]) header.push_back(name + " not completed");
  }
  grid.push_back(header);
  for (size_t r = 0; r < summaries.size(); ++r) {
    std::vector<std::string> line = row_label_cells(table, r, row_keys.size());
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::optional<Summary>& summary = summaries[r][c];
      const Cell* cell = cell_at(table, r, columns[c]);  // none for the mean row
      line.push_back(summary ? fmt::format("{}", summary->centre) : "");
      line.push_back(summary && summary->spread ? fmt::format("{}", *summary->spread) : "");
      line.push_back(cell                    ? std::to_string(cell->values.size())
                     : r < table.rows.size() ? "0"  // no run of the row and column at all
                                             : "");
      if (incomplete[c]) line.push_back(cell ? incomplete_text(*cell) : "");
    }
    grid.push_back(line);
  }
  return grid;
}

/// The title's words on --relative-to: `; relative to pca`, then how it sets the metrics beside
/// the reference where some take the difference (`, as the difference in dB`, or `: the
/// difference for test/psnr in dB, the ratio for the others`), and what a --mean-row averages
/// (not the ratio of the column means, which a reader might take it for).
std::string relative_to_text(const TableSpec& spec) {
  std::vector<std::string> differences;
  std::set<std::string> units;
  for (const std::string& metric : spec.metrics)
    if (const RelativeForm form = relative_form(metric); form.difference) {
      differences.push_back(metric + (form.unit.empty() ? "" : " in " + form.unit));
      units.insert(form.unit);
    }
  const bool all_differences = !differences.empty() && differences.size() == spec.metrics.size();
  std::string text = "; relative to " + spec.relative_to;
  if (!differences.empty() && !all_differences)
    text += ": the difference for " + join(differences, ", ") + ", the ratio for the others";
  else if (all_differences && units.size() > 1)
    text += ", as the difference (" + join(differences, ", ") + ")";
  else if (all_differences)
    text += ", as the difference" + (units.begin()->empty() ? "" : " in " + *units.begin());
  if (spec.mean_row)
    text += std::string("; mean row: the mean of the rows' ") + (differences.empty() ? "ratios"
                                                                 : all_differences   ? "differences"
                                                                                     : "values");
  return text;
}

/// The title's words on the cells: what they pool, relative to what, which are bold (`bolded`:
/// any cell is).
std::string caption_of(const Tabulation& table, const TableSpec& spec,
                       const std::vector<Column>& columns, bool bolded) {
  // With one run in every cell there is no spread to speak of.
  const bool one_run_each =
      std::all_of(table.cells.begin(), table.cells.end(),
                  [](const auto& cell) { return cell.second.values.size() <= 1; });
  // How many runs a cell holds: "2 seeds", or "1 to 3 seeds" where some did not complete.
  size_t fewest = SIZE_MAX, most = 0;
  for (const auto& [key, cell] : table.cells) {
    if (cell.values.empty()) continue;
    fewest = std::min(fewest, cell.values.size());
    most = std::max(most, cell.values.size());
  }
  const std::string count =
      fewest == most ? std::to_string(most) : fmt::format("{} to {}", fewest, most);
  // Beside a "not completed" column, the run a cell shows is its one completed run.
  const bool some_incomplete =
      std::any_of(table.cells.begin(), table.cells.end(),
                  [](const auto& cell) { return !cell.second.incomplete.empty(); });
  std::string spread = some_incomplete ? "one completed run per cell" : "one run per cell";
  if (!one_run_each)
    spread = std::string(spec.agg == "median" ? "median (IQR)" : "mean ± std") + " over " +
             (table.pooled.empty()
                  ? count + (table.seeds_pooled ? " seeds" : " runs of one seed")
                  : (table.seeds_pooled ? "seeds and over " : "") + table.pooled_keys() +
                        ", which differ within cells; " + count + " runs per cell");
  if (!spec.relative_to.empty()) spread += relative_to_text(spec);
  spread += test_subset_note(
      table, split_list(spec.rows, "--rows"),
      spec.cols.empty() ? std::vector<std::string>{} : split_list(spec.cols, "--cols"));
  // Bold only where some metric shown has a better end (not the KL term, say), and the title
  // names those that have none.
  std::vector<std::string> unranked;
  for (const std::string& metric : spec.metrics)
    if (!higher_is_better(metric, spec.higher_is_better)) unranked.push_back(metric);
  const BoldAxis axis = bold_axis(columns, spec);
  if (spec.bold && axis == BoldAxis::none && unranked.size() < spec.metrics.size())
    spread += "; none in bold: a best seed is chance, not a choice";
  if (spec.bold && bolded && unranked.size() < spec.metrics.size()) {
    std::vector<std::string> alike;  // the row keys besides the models' (bold at each of them)
    const std::vector<std::string> row_keys = split_list(spec.rows, "--rows");
    for (size_t k : keys_besides_models(row_keys)) alike.push_back(row_keys[k]);
    spread += axis == BoldAxis::row ? "; best per row in bold"
              : alike.empty()       ? "; best per column in bold"
                                    : "; best per column at each " + join(alike, ", ") + " in bold";
    if (!unranked.empty())
      spread += fmt::format(" except {}, which {} no better end", join(unranked, ", "),
                            unranked.size() == 1 ? "has" : "have");
  }
  return join(spec.metrics, ", ") + " (" + spread + ")";
}

}  // namespace

std::vector<std::string> split_metric_list(const std::string& text) {
  return split_list(text, "--metric");
}

namespace {

/// The metrics, the row and column keys and the reference of a table: what --rename changes
/// wherever they appear in its headers and title.
std::vector<std::string> names_shown(const TableSpec& spec, const CellSpec& cells) {
  std::vector<std::string> names = spec.metrics;
  names.insert(names.end(), cells.row_keys.begin(), cells.row_keys.end());
  names.insert(names.end(), cells.col_keys.begin(), cells.col_keys.end());
  if (!spec.relative_to.empty()) names.push_back(spec.relative_to);  // "relative to pca"
  return names;
}

/// The cells a table asks for, checked: ConfigError for an unknown format or aggregate, no
/// metric or row key, or a key on both axes.
CellSpec checked_cell_spec(const TableSpec& spec) {
  if (spec.format != "md" && spec.format != "markdown" && spec.format != "latex" &&
      spec.format != "csv")
    throw ConfigError("--format: expected md (or markdown), latex or csv, got '" + spec.format +
                      "'");
  if (spec.agg != "mean" && spec.agg != "median")
    throw ConfigError("--agg: expected mean or median, got '" + spec.agg + "'");
  if (spec.metrics.empty())
    throw ConfigError("--metric: give at least one metric, such as test/sse");
  CellSpec cells{split_list(spec.rows, "--rows"),
                 split_list(spec.cols, "--cols"),
                 spec.metrics,
                 spec.where,
                 spec.baselines,
                 spec.relative_to};
  if (cells.row_keys.empty()) throw ConfigError("--rows: give a config key, such as family");
  for (const std::string& key : cells.col_keys)
    if (std::find(cells.row_keys.begin(), cells.row_keys.end(), key) != cells.row_keys.end())
      throw ConfigError("--cols " + spec.cols + ": " + key +
                        " is in --rows too; a key goes on one axis (--cols '' for none)");
  return cells;
}

/// A table's cells as text, its title and (LaTeX) the column groups above its header.
struct TableLayout {
  TableGrid grid;
  std::vector<std::string> groups;
  std::string title;
};

/// The Markdown or LaTeX layout: the title says what the cells are; LaTeX spans a column label
/// over its metrics, or a column key over its bare values.
TableLayout text_layout(const Tabulation& table, const TableSpec& spec, const CellSpec& cells) {
  TableLayout layout;
  bool bolded = false;
  layout.grid = text_grid(table, spec, cells.row_keys, &bolded);
  const std::vector<Column> columns = columns_of(table, spec);
  const std::string caption = caption_of(table, spec, columns, bolded);
  // The column key is named where its values are bare (segmentation.pretrain_epochs: 0, 1;
  // seed), not family, a group's choices or a plugin's name.
  const bool bare_columns =
      spec.cols == "seed" ||
      (spec.cols.find('.') != std::string::npos &&
       !(spec.cols.size() > 5 && spec.cols.substr(spec.cols.size() - 5) == ".name"));
  if (spec.format != "latex") {  // the header cell names the row keys; the title a bare key
    layout.title = caption + (bare_columns ? "; columns: " + spec.cols : "");
    return layout;
  }
  const size_t labels = cells.row_keys.size();
  if (spec.metrics.size() > 1 && !spec.cols.empty()) {
    for (size_t c = 0; c < columns.size(); ++c) {
      layout.groups.push_back(columns[c].label->text);
      layout.grid[0][labels + c] = spec.metrics[columns[c].metric];
    }
  } else if (bare_columns) {
    // The key over the runs' own columns; a baseline the same at every value (`ink`) stands
    // apart, and one at each value (`2, pca`) gets its name over those values (`pca`: 2, 8).
    // (Beside baselines a label's values end with its source, "" for the runs' own.)
    auto alone = [](const Column& c) {
      return c.label->baseline && c.label->text == c.label->baseline_name;
    };
    auto one_value = [](const Column& c) {
      return std::count_if(c.label->values.begin(), c.label->values.end(),
                           [](const ConfigNode& v) { return !v.text().empty(); }) == 1;
    };
    auto at_a_value = [&](const Column& c) {
      return c.label->baseline && !alone(c) && c.label->values.size() == 2 &&
             c.label->values.back().text() == c.label->baseline_name;
    };
    if (std::all_of(columns.begin(), columns.end(), [&](const Column& c) {
          return alone(c) || at_a_value(c) || (!c.label->baseline && one_value(c));
        }))
      for (size_t c = 0; c < columns.size(); ++c) {
        const Column& column = columns[c];
        layout.groups.push_back(alone(column)        ? ""
                                : at_a_value(column) ? column.label->baseline_name
                                                     : spec.cols);
        if (at_a_value(column)) layout.grid[0][labels + c] = column.label->values.front().text();
      }
  }
  layout.title = caption + " by " + spec.rows + " (rows)" +
                 (spec.cols.empty() ? "" : " and " + spec.cols + " (columns)");
  return layout;
}

}  // namespace

std::string make_table(const std::vector<RunRecord>& runs, const TableSpec& spec,
                       std::vector<std::string>* warnings) {
  const CellSpec cells = checked_cell_spec(spec);
  Tabulation table = tabulate(runs, cells);
  put_in_order(table, spec.order);
  if (warnings) {
    const std::vector<std::string> more = table_warnings(table, spec);
    warnings->insert(warnings->end(), more.begin(), more.end());
  }
  // The table as its format lays it out (a CSV has neither title nor column groups), then in a
  // paper's words where --rename gives them.
  const size_t labels = cells.row_keys.size();
  TableLayout layout = spec.format == "csv"
                           ? TableLayout{csv_grid(table, spec, cells.row_keys), {}, ""}
                           : text_layout(table, spec, cells);
  apply_renames(spec.renames, names_shown(spec, cells),
                {layout.grid, labels, layout.groups, layout.title});
  if (spec.format == "csv") return render_csv(layout.grid);
  if (spec.format == "latex")
    return render_latex(layout.grid, layout.title, labels, layout.groups, spec.mean_row);
  return render_markdown(layout.grid, layout.title, labels);
}

}  // namespace aelab
