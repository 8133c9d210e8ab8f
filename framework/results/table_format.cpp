// Table rendering.
#include "framework/results/table_format.h"

#include <algorithm>

namespace aelab {

std::string render_csv(const TableGrid& grid) {
  std::string out;
  for (const auto& line : grid) {
    for (size_t i = 0; i < line.size(); ++i) out += (i ? "," : "") + line[i];
    out += "\n";
  }
  return out;
}

std::string render_latex(const TableGrid& grid, const std::string& caption) {
  std::string out = "% " + caption + "\n";
  out += "\\begin{tabular}{l" + std::string(grid[0].size() - 1, 'r') + "}\n\\toprule\n";
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
  return out + "\\bottomrule\n\\end{tabular}\n";
}

std::string render_markdown(const TableGrid& grid, const std::string& title) {
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
  out += "|";  // first column left-aligned, numbers right-aligned
  for (size_t i = 0; i < widths.size(); ++i)
    out += i ? std::string(widths[i] + 1, '-') + ":|" : std::string(widths[i] + 2, '-') + "|";
  out += "\n";
  for (size_t r = 1; r < grid.size(); ++r) emit(grid[r]);
  return out;
}

}  // namespace aelab
