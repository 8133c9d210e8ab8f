// make_table --rename OLD=NEW: a paper's words for what the table shows by its config keys,
// metrics and labels (`model.latent_dim` -> `k`, `test/nll_is` -> `NLL (nats)`, `mlp` -> `deep
// AE`).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "framework/results/table_format.h"

namespace aelab {

using Renames = std::vector<std::pair<std::string, std::string>>;

/// Parses `OLD=NEW` items; ConfigError naming the item where one has no `=` or no OLD.
Renames parse_renames(const std::vector<std::string>& items);

/// What a rendered table shows, as the renames change it.
struct TableText {
  TableGrid& grid;                   ///< header line first
  size_t label_columns;              ///< the row-label columns of `grid`
  std::vector<std::string>& groups;  ///< LaTeX column groups over the header (may be empty)
  std::string& title;                ///< the caption or title ("" for CSV)
};

/// Each OLD that is a whole header cell (or the column label that opens one, `mlp test/sse std`),
/// row label or column group reads NEW; a metric or key
/// among `names` (the table's metrics and row and column keys) reads NEW also inside a header
/// (`mlp test/sse std`) and in the title. ConfigError for an OLD the table does not show.
void apply_renames(const Renames& renames, const std::vector<std::string>& names, TableText text);

}  // namespace aelab
