// What a table leaves out or cannot say itself, for make_table to print as warnings: runs left
// out (no metric of the table, no row or column key, another experiment's unfinished runs), and
// cells that pool runs of different settings where ratios or a CSV would hide it.
#pragma once

#include <string>
#include <vector>

#include "framework/results/result_table.h"
#include "framework/results/table_cells.h"

namespace aelab {

/// The warnings of `table`, made by `spec`, each one line.
std::vector<std::string> table_warnings(const Tabulation& table, const TableSpec& spec);

}  // namespace aelab
