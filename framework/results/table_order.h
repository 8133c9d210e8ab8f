// make_table --order A,B,C: a paper's order of the columns (or rows), not the sorted one.
#pragma once

#include <string>
#include <vector>

#include "framework/results/table_cells.h"

namespace aelab {

/// Puts the columns labelled as `order` lists them first, in that order, and the others after
/// them as they were; where no column has the first label, the rows. ConfigError naming the
/// labels the table has where one of `order` labels neither axis.
void put_in_order(Tabulation& table, const std::vector<std::string>& order);

}  // namespace aelab
