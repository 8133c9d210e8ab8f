// How a table column prints its numbers: the decimals (or significant digits) its values need
// to differ, and a spread that those decimals would round to 0.
#pragma once

#include <string>

#include "framework/results/table_summaries.h"

namespace aelab {

/// With fixed decimals (paper tables), or with significant digits when the column's values
/// span more than four orders of magnitude, or are all so small (below 1e-3) or so large (1e9
/// and up) that fixed decimals would be a row of zeros.
struct NumberFormat {
  bool fixed = true;
  int precision = 0;  ///< decimals, or significant digits when not fixed
  std::string operator()(double v) const;
  /// A spread as the values are, unless it is below one unit of their last decimal (`68 ± 0`
  /// for a std of 0.46 with no decimals, `68 ± 1` for 0.6): then to its first significant
  /// digit (`68 ± 0.5`, `68 ± 0.6`), never a spread of none nor one larger than it is.
  std::string spread(double v) const;
};

/// At least `digits` significant digits for column `c`'s smallest value, more until values
/// that differ print differently; integers as integers.
/// `counts`: the column's runs record whole numbers (active units), whose means over seeds get
/// one decimal unless they need more to differ.
NumberFormat format_for(const SummaryGrid& grid, size_t c, int digits, bool counts = false);

}  // namespace aelab
