// What a table's title says of runs that measured only the first test images (data.test_subset).
#pragma once

#include <string>
#include <vector>

#include "framework/results/table_cells.h"

namespace aelab {

/// "; test metrics over the first 1000 test images (data.test_subset)" where the runs of
/// `table` measured only some of the test set, and neither its labels (`row_keys`, `col_keys`)
/// nor the keys its cells pool say so already; "" where every run measured every test image.
std::string test_subset_note(const Tabulation& table, const std::vector<std::string>& row_keys,
                             const std::vector<std::string>& col_keys);

}  // namespace aelab
