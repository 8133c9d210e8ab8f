// make_table --rename OLD=NEW.
#include "framework/results/table_renames.h"

#include <algorithm>
#include <cctype>

#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {

Renames parse_renames(const std::vector<std::string>& items) {
  Renames out;
  for (const auto& item : items) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ConfigError("--rename " + item +
                        ": expected OLD=NEW, such as --rename model.latent_dim=k or "
                        "--rename 'test/nll_is=NLL (nats)'");
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

namespace {

/// Whether `c` may continue a key or metric name (`model.latent_dim`, `test/sse`).
bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '/';
}

/// `text` with each whole-name occurrence of `old` as `replacement`; true where there was one.
bool replace_name(std::string& text, const std::string& old, const std::string& replacement) {
  bool replaced = false;
  for (size_t at = text.find(old); at != std::string::npos; at = text.find(old, at)) {
    const size_t end = at + old.size();
    if ((at > 0 && name_char(text[at - 1])) || (end < text.size() && name_char(text[end]))) {
      at = end;
      continue;
    }
    text.replace(at, old.size(), replacement);
    at += replacement.size();
    replaced = true;
  }
  return replaced;
}

}  // namespace

void apply_renames(const Renames& renames, const std::vector<std::string>& names, TableText text) {
  for (const auto& [old, replacement] : renames) {
    const bool a_name = std::find(names.begin(), names.end(), old) != names.end();
    bool shown = false;
    for (size_t r = 0; r < text.grid.size(); ++r)
      for (size_t c = 0; c < text.grid[r].size(); ++c) {
        if (r > 0 && c >= text.label_columns) continue;  // values are never renamed
        std::string& cell = text.grid[r][c];
        if (cell == old) {
          cell = replacement;
          shown = true;
        } else if (r == 0 && cell.rfind(old + " ", 0) == 0) {  // a column label before its metric
          cell.replace(0, old.size(), replacement);
          shown = true;
        } else if (r == 0 && a_name) {
          shown = replace_name(cell, old, replacement) || shown;
        }
      }
    for (auto& group : text.groups)
      if (group == old) {
        group = replacement;
        shown = true;
      }
    if (a_name) shown = replace_name(text.title, old, replacement) || shown;
    if (!shown)
      throw ConfigError("--rename " + old + "=" + replacement + ": the table shows no '" + old +
                        "' (its header: " + join(text.grid[0], ", ") +
                        "; a row label, metric or key is renamed as the table shows it)");
  }
}

}  // namespace aelab
