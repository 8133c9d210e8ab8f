// A table's cells as Markdown, LaTeX (booktabs) or CSV text.
#pragma once

#include <string>
#include <vector>

namespace aelab {

/// A header line then value lines; the first column holds row labels.
using TableGrid = std::vector<std::vector<std::string>>;

/// Comma-separated lines.
std::string render_csv(const TableGrid& grid);
/// A booktabs tabular preceded by a `% caption` comment; underscores escaped.
std::string render_latex(const TableGrid& grid, const std::string& caption);
/// `title`, a blank line, then a pipe table: labels left-aligned, numbers right-aligned.
std::string render_markdown(const TableGrid& grid, const std::string& title);

}  // namespace aelab
