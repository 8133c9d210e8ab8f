// Table rendering.
#include "framework/results/table_format.h"

#include <algorithm>
#include <regex>

namespace aelab {

namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

/// The position of the `$` that closes math opened at `open` (`$k$`), skipping `\$`; npos
/// where none does or the math would be empty.
size_t math_end(const std::string& text, size_t open) {
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\')
      ++i;
    else if (text[i] == '$')
      return i > open + 1 ? i : std::string::npos;
  }
  return std::string::npos;
}

/// `text` as LaTeX prints it, but for math between two `$` (`--rename model.latent_dim='$k$'`),
/// which stays as written; `\$` and a lone `$` are dollar signs.
std::string latex_escaped(const std::string& text) {
  // A cell that opens with '[' (a list: `[256]`) would be read as the optional argument of the
  // `\\` or `\midrule` before it: an empty group ends those first.
  std::string out = !text.empty() && text[0] == '[' ? "{}" : "";
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (const size_t close = c == '$' ? math_end(text, i) : std::string::npos;
        close != std::string::npos) {
      out += text.substr(i, close + 1 - i);
      i = close;
    } else if (c == '\\' && i + 1 < text.size() && text[i + 1] == '$') {
      out += "\\$";
      ++i;
    } else if (c == '\\') {
      out += "\\textbackslash{}";
    } else if (c == '~') {
      out += "\\textasciitilde{}";
    } else if (c == '^') {
      out += "\\textasciicircum{}";
    } else if (c == '_' || c == '%' || c == '&' || c == '#' || c == '$' || c == '{' || c == '}') {
      out += std::string("\\") + c;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string render_csv(const TableGrid& grid) {
  std::string out;
  for (const auto& line : grid) {
    for (size_t i = 0; i < line.size(); ++i) out += (i ? "," : "") + csv_field(line[i]);
    out += "\n";
  }
  return out;
}

namespace {

/// The line of column groups over the header, with a rule under each group:
/// ` & \multicolumn{2}{c}{mlp} & ... \\` then `\cmidrule(lr){2-3} ...`.
std::string latex_group_header(const std::vector<std::string>& groups, size_t label_columns) {
  std::string line(label_columns > 1 ? label_columns - 1 : 0, '&');
  std::string rules;
  for (size_t start = 0; start < groups.size();) {
    size_t end = start;
    while (end < groups.size() && groups[end] == groups[start]) ++end;
    const size_t first = label_columns + start + 1, last = label_columns + end;  // 1-based
    if (groups[start].empty()) {
      for (size_t i = start; i < end; ++i) line += " &";
    } else {
      line += " & \\multicolumn{" + std::to_string(end - start) + "}{c}{" +
              latex_escaped(groups[start]) + "}";
      rules += (rules.empty() ? "" : " ") + std::string("\\cmidrule(lr){") + std::to_string(first) +
               "-" + std::to_string(last) + "}";
    }
    start = end;
  }
  return line + " \\\\\n" + (rules.empty() ? "" : rules + "\n");
}

/// A value cell with each number's minus sign as a minus ($-$), not a hyphen: `-318.1` at the
/// start, after `{` or a space (an exponent's `e-05` stays as it is).
std::string latex_minus(const std::string& cell) {
  static const std::regex minus("(^|[{ ])-([0-9.])");
  return std::regex_replace(cell, minus, "$1$$-$$$2");
}

}  // namespace

std::string render_latex(const TableGrid& grid, const std::string& caption, size_t label_columns,
                         const std::vector<std::string>& column_groups, bool summary_row) {
  std::string out = "% " + caption + "\n";
  out += "\\begin{tabular}{" + std::string(label_columns, 'l') +
         std::string(grid[0].size() - label_columns, 'r') + "}\n\\toprule\n";
  if (!column_groups.empty()) out += latex_group_header(column_groups, label_columns);
  for (size_t r = 0; r < grid.size(); ++r) {
    for (size_t i = 0; i < grid[r].size(); ++i) {
      const bool label = r == 0 || i < label_columns;
      out += (i ? " & " : "") + (label ? latex_escaped(grid[r][i]) : latex_minus(grid[r][i]));
    }
    out += " \\\\\n";
    if (r == 0 || (summary_row && r + 2 == grid.size())) out += "\\midrule\n";
  }
  return out + "\\bottomrule\n\\end{tabular}\n";
}

std::string render_markdown(const TableGrid& grid, const std::string& title, size_t label_columns) {
  std::vector<size_t> widths(grid[0].size(), 3);
  auto width_of = [](const std::string& s) {  // counts UTF-8 code points (± is two bytes)
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (const auto& line : grid)
    for (size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], width_of(line[i]));
  std::string out = title + "\n\n";
  auto emit = [&](const std::vector<std::string>& line) {
    out += "|";
    for (size_t i = 0; i < line.size(); ++i)
      out += " " + line[i] + std::string(widths[i] - width_of(line[i]), ' ') + " |";
    out += "\n";
  };
  emit(grid[0]);
  out += "|";  // label columns left-aligned, numbers right-aligned
  for (size_t i = 0; i < widths.size(); ++i)
    out += i >= label_columns ? std::string(widths[i] + 1, '-') + ":|"
                              : std::string(widths[i] + 2, '-') + "|";
  out += "\n";
  for (size_t r = 1; r < grid.size(); ++r) emit(grid[r]);
  return out;
}

}  // namespace aelab
