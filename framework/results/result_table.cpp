// A table's cells summarized, formatted and laid out as Markdown, LaTeX or CSV.
#include "framework/results/result_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/results/metric_direction.h"
#include "framework/results/number_format.h"
#include "framework/results/table_format.h"
#include "framework/results/table_order.h"
#include "framework/results/table_renames.h"
#include "framework/results/table_runs.h"
#include "framework/results/table_summaries.h"
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

/// Whether the rows are what a reader compares, so that the best of each column is in bold
/// rather than the best of each row: where each metric has a single column, or where the rows
/// name the models (family, model, encoder.name) and the columns do not (--rows family --cols
/// model.latent_dim compares the families at each k, not each family's k).
bool bold_per_column(const std::vector<Column>& columns, const TableSpec& spec) {
  auto names_models = [](const std::string& keys) {
    std::vector<std::string> listed = split_list(keys, "keys");
    return std::any_of(listed.begin(), listed.end(), names_the_model);
  };
  if (names_models(spec.rows) && (spec.cols.empty() || !names_models(spec.cols))) return true;
  for (size_t c = 1; c < columns.size(); ++c)
    for (size_t k = 0; k < c; ++k)
      if (columns[k].metric == columns[c].metric) return false;
  return true;
}

/// Where some row keys name the models (family), the places of the others (model.latent_dim):
/// rows compared down a column are those alike in these. Empty where no row key names a model.
std::vector<size_t> keys_besides_models(const std::vector<std::string>& row_keys) {
  std::vector<size_t> others;
  if (std::any_of(row_keys.begin(), row_keys.end(), names_the_model))
    for (size_t k = 0; k < row_keys.size(); ++k)
      if (!names_the_model(row_keys[k])) others.push_back(k);
  return others;
}

/// Whether (r, c) holds the best value of its row among the columns of its metric (of its
/// column among the rows of its group, where `per_column`: bold_per_column()), ties as printed
/// included: a rival beats it only where the two print differently in its own column's format
/// or in the rival's. `row_groups`: each row of the table's, the rows compared down a column.
bool is_best(const SummaryGrid& grid, const std::vector<Column>& columns,
             const std::vector<NumberFormat>& formats, const std::vector<std::string>& row_groups,
             size_t r, size_t c, const TableSpec& spec, bool per_column) {
  const size_t rows = row_groups.size();
  auto higher = higher_is_better(spec.metrics[columns[c].metric], spec.higher_is_better);
  if (!spec.bold || !higher || r >= rows || !grid[r][c] || !std::isfinite(grid[r][c]->centre))
    return false;
  std::vector<std::pair<size_t, size_t>> rivals;
  if (per_column) {
    for (size_t other = 0; other < rows; ++other)
      if (row_groups[other] == row_groups[r]) rivals.emplace_back(other, c);
  } else {
    for (size_t k = 0; k < columns.size(); ++k)
      if (columns[k].metric == columns[c].metric) rivals.emplace_back(r, k);
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
  std::vector<NumberFormat> formats;
  for (size_t c = 0; c < columns.size(); ++c)
    formats.push_back(
        format_for(summaries, c, spec.digits,
                   is_count(spec.metrics[columns[c].metric]) && spec.relative_to.empty()));
  const bool per_column = bold_per_column(columns, spec);
  // Rows that name the models are compared down a column among those alike in the other row
  // keys: --rows family,model.latent_dim compares the families at each k, not across k.
  const std::vector<size_t> others = keys_besides_models(row_keys);
  std::vector<std::string> row_groups;
  for (const auto& row : table.rows) {
    std::string group;
    for (size_t k : others) group += (k < row.values.size() ? row.values[k].text() : "") + "\n";
    row_groups.push_back(group);
  }
  for (size_t r = 0; r < summaries.size(); ++r) {
    std::vector<std::string> line = row_label_cells(table, r, row_keys.size());
    for (size_t c = 0; c < columns.size(); ++c) {
      if (summaries[r][c]) {
        const bool best = is_best(summaries, columns, formats, row_groups, r, c, spec, per_column);
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
    return in_decibels(spec.metrics[column.metric]) ? " (minus " + spec.relative_to + " in dB)"
                                                    : " (relative to " + spec.relative_to + ")";
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
    spread =
        std::string(spec.agg == "median" ? "median (IQR)" : "mean ± std") + " over " +
        (table.pooled.empty()
             ? count + (table.seeds_pooled ? " seeds" : " runs of one seed")
             : (table.seeds_pooled ? "seeds and over " : "") +
                   join(std::vector<std::string>(table.pooled.begin(), table.pooled.end()), ", ") +
                   ", which differ within cells; " + count + " runs per cell");
  if (!spec.relative_to.empty()) {
    spread += "; relative to " + spec.relative_to;
    const bool decibels = std::any_of(spec.metrics.begin(), spec.metrics.end(), in_decibels);
    const bool ratios = !std::all_of(spec.metrics.begin(), spec.metrics.end(), in_decibels);
    if (decibels)
      spread += ratios ? ": PSNR as the difference in dB, the others as ratios"
                       : ", as the difference in dB";
    // Not the ratio of the column means, which a reader might take it for.
    if (spec.mean_row)
      spread += std::string("; mean row: the mean of the rows' ") +
                (decibels ? (ratios ? "values" : "differences") : "ratios");
  }
  spread += test_subset_note(
      table, split_list(spec.rows, "--rows"),
      spec.cols.empty() ? std::vector<std::string>{} : split_list(spec.cols, "--cols"));
  // Bold only where some metric shown has a better end (not the KL term, say), and the title
  // names those that have none.
  std::vector<std::string> unranked;
  for (const std::string& metric : spec.metrics)
    if (!higher_is_better(metric, spec.higher_is_better)) unranked.push_back(metric);
  if (spec.bold && bolded && unranked.size() < spec.metrics.size()) {
    std::vector<std::string> alike;  // the row keys besides the models' (bold at each of them)
    const std::vector<std::string> row_keys = split_list(spec.rows, "--rows");
    for (size_t k : keys_besides_models(row_keys)) alike.push_back(row_keys[k]);
    spread += !bold_per_column(columns, spec) ? "; best per row in bold"
              : alike.empty()                 ? "; best per column in bold"
                              : "; best per column at each " + join(alike, ", ") + " in bold";
    if (!unranked.empty())
      spread += fmt::format(" except {}, which {} no better end", join(unranked, ", "),
                            unranked.size() == 1 ? "has" : "have");
  }
  return join(spec.metrics, ", ") + " (" + spread + ")";
}

}  // namespace

std::string results_folder_above(const std::string& path) {
  namespace fs = std::filesystem;
  for (fs::path above = fs::path(path).lexically_normal().parent_path();
       !above.empty() && above != above.parent_path(); above = above.parent_path())
    if (fs::is_directory(above / "runs") || fs::is_regular_file(above / "jobs" / "sweep.yaml"))
      return above.string();
  return "";
}

std::vector<RunRecord> read_results(const std::string& results_dir,
                                    std::vector<std::string>* unreadable) {
  namespace fs = std::filesystem;
  fs::path runs = fs::path(results_dir) / "runs";
  if (!fs::is_directory(runs)) {
    const fs::path typed = fs::path(results_dir).lexically_normal();
    // A folder or file inside a results folder (its runs/, its summary.h5, a run file): the
    // results folder is meant.
    std::error_code ignored;
    const bool file = fs::is_regular_file(typed, ignored);
    if (const std::string above = results_folder_above(results_dir); !above.empty())
      throw DataError(results_dir + (file ? ": a file" : ": a folder") +
                      " inside the results folder " + above + "; give that folder");
    // The results folders beside it, as the user would write them.
    const fs::path parent = typed.has_parent_path() ? typed.parent_path() : fs::path(".");
    std::vector<std::string> folders;
    std::error_code unreadable;
    for (const auto& entry : fs::directory_iterator(parent, unreadable))
      if (fs::is_directory(entry.path() / "runs"))
        folders.push_back(typed.has_parent_path() ? (parent / entry.path().filename()).string()
                                                  : entry.path().filename().string());
    std::sort(folders.begin(), folders.end());
    std::string hint = ", such as results/bottleneck";
    if (!folders.empty()) {  // names are compared, not paths: `nope` is not close to `p1`
      std::vector<std::string> names;
      for (const auto& folder : folders) names.push_back(fs::path(folder).filename().string());
      const std::string best = closest_match(typed.filename().string(), names);
      const size_t at = std::find(names.begin(), names.end(), best) - names.begin();
      hint = " (" + (best.empty() ? std::string() : "did you mean '" + folders[at] + "'? ") +
             "known: " + join(folders, ", ") + ")";
    }
    throw DataError(results_dir +
                    (file                ? ": a file, not a folder; give the folder run_sweep wrote"
                     : fs::exists(typed) ? ": no runs/ folder; give the folder run_sweep wrote"
                                         : ": no such folder; give the folder run_sweep wrote") +
                    hint);
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(runs))
    if (entry.path().extension() == ".h5") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::vector<RunRecord> out;
  std::vector<std::string> problems;
  for (const auto& file : files) {
    try {
      out.push_back(read_run_summary(file));
    } catch (const DataError& e) {
      if (!unreadable) throw;
      problems.push_back(e.what());
    }
  }
  if (out.empty() && !problems.empty())
    throw DataError(fmt::format("{}: no readable run file; {} damaged, such as {}", runs.string(),
                                problems.size(), problems.front()));
  if (out.empty()) throw DataError(runs.string() + ": no run files yet");
  if (unreadable) unreadable->insert(unreadable->end(), problems.begin(), problems.end());
  return out;
}

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

}  // namespace

std::string make_table(const std::vector<RunRecord>& runs, const TableSpec& spec,
                       std::vector<std::string>* warnings) {
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
  Tabulation table = tabulate(runs, cells);
  put_in_order(table, spec.order);
  if (warnings && table.lacking)
    warnings->push_back(fmt::format(
        "{} completed run(s) record none of {} and are left out, with the rows and columns only "
        "they would fill (make a table of them with a --metric they record)",
        table.lacking, join(spec.metrics, ", ")));
  for (const auto& [key, count] : table.keyless)
    if (warnings)
      warnings->push_back(fmt::format(
          "{} run(s) have no {} in their config and are left out (choose keys every run has, "
          "or make a table of those runs with --where)",
          count, key));
  for (const auto& [experiment, count] : table.unfinished_elsewhere)
    if (warnings)
      warnings->push_back(fmt::format(
          "{} run(s) of experiment={} did not complete and are left out: no completed run of "
          "that experiment records {}",
          count, experiment.empty() ? "?" : experiment, join(spec.metrics, ", ")));
  // Ratios of cells that pool runs of different k (say) are ratios of pooled means; a dB
  // difference is the same either way.
  if (warnings && !spec.relative_to.empty() && spec.format != "csv" && !table.pooled.empty() &&
      !std::all_of(spec.metrics.begin(), spec.metrics.end(), in_decibels)) {
    const std::string keys =
        join(std::vector<std::string>(table.pooled.begin(), table.pooled.end()), ", ");
    warnings->push_back("--relative-to " + spec.relative_to +
                        ": the cells pool runs that differ in " + keys +
                        ", so each value is the cell's mean over " + spec.relative_to +
                        "'s mean over those runs, not a mean of like-for-like ratios (add " + keys +
                        " to --rows or --cols to compare at equal values)");
  }
  // The table as its format lays it out (a CSV has neither title nor column groups), then in a
  // paper's words where --rename gives them.
  const bool csv = spec.format == "csv", latex = spec.format == "latex";
  const size_t labels = cells.row_keys.size();
  TableGrid grid;
  std::vector<std::string> groups;
  std::string title;
  if (csv) {
    if (warnings && !table.pooled.empty()) {
      const std::string keys =
          join(std::vector<std::string>(table.pooled.begin(), table.pooled.end()), ", ");
      warnings->push_back("the cells pool runs that differ in " + keys +
                          " (a CSV has no title to say so; add " +
                          (table.pooled.size() == 1 ? "it" : "them") +
                          " to --rows or --cols, or pick runs with --where)");
    }
    grid = csv_grid(table, spec, cells.row_keys);
  } else {
    bool bolded = false;
    grid = text_grid(table, spec, cells.row_keys, &bolded);
    const std::string caption = caption_of(table, spec, columns_of(table, spec), bolded);
    // The column key is named where its values are bare (segmentation.pretrain_epochs: 0, 1;
    // seed), not family, a group's choices or a plugin's name.
    const bool bare_columns =
        spec.cols == "seed" ||
        (spec.cols.find('.') != std::string::npos &&
         !(spec.cols.size() > 5 && spec.cols.substr(spec.cols.size() - 5) == ".name"));
    if (latex) {
      // Several metrics per column label: the label spans its metrics on a line of its own; one
      // metric over bare values: the key spans them.
      const std::vector<Column> columns = columns_of(table, spec);
      if (spec.metrics.size() > 1 && !spec.cols.empty()) {
        for (size_t c = 0; c < columns.size(); ++c) {
          groups.push_back(columns[c].label->text);
          grid[0][labels + c] = spec.metrics[columns[c].metric];
        }
      } else if (bare_columns && std::all_of(columns.begin(), columns.end(), [](const Column& c) {
                   return c.label->values.size() == 1;  // not `2, pca` beside a baseline
                 })) {
        groups.assign(columns.size(), spec.cols);
      }
      title = caption + " by " + spec.rows + " (rows)" +
              (spec.cols.empty() ? "" : " and " + spec.cols + " (columns)");
    } else {  // the header cell names the row keys; the title a column key of bare values
      title = caption + (bare_columns ? "; columns: " + spec.cols : "");
    }
  }
  apply_renames(spec.renames, names_shown(spec, cells), {grid, labels, groups, title});
  if (csv) return render_csv(grid);
  if (latex) return render_latex(grid, title, labels, groups, spec.mean_row);
  return render_markdown(grid, title, labels);
}

}  // namespace aelab
