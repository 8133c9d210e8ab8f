// A table's cells as Markdown, LaTeX (booktabs) or CSV text.
#pragma once

#include <string>
#include <vector>

namespace aelab {

/// A header line then value lines; the first `label_columns` columns hold row labels.
using TableGrid = std::vector<std::vector<std::string>>;

/// Comma-separated lines; a field holding a comma or quote is quoted.
std::string render_csv(const TableGrid& grid);
/// A booktabs tabular preceded by a `% caption` comment; the header and labels have LaTeX's
/// special characters escaped, the cells are LaTeX already. `column_groups`, one per value
/// column or empty, puts a header line above the grid's: each run of equal groups spans its
/// columns (\multicolumn) with a \cmidrule below, as a paper groups metrics by model.
/// `summary_row`: the last row (a mean over the others) gets a \midrule above it.
std::string render_latex(const TableGrid& grid, const std::string& caption,
                         size_t label_columns = 1,
                         const std::vector<std::string>& column_groups = {},
                         bool summary_row = false);
/// `title`, a blank line, then a pipe table: labels left-aligned, numbers right-aligned.
std::string render_markdown(const TableGrid& grid, const std::string& title,
                            size_t label_columns = 1);

}  // namespace aelab
