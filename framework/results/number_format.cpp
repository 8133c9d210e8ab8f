// Table columns' number formats.
#include "framework/results/number_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace aelab {

std::string NumberFormat::operator()(double v) const {
  if (std::isnan(v)) return "nan";  // never "-nan": a NaN has no sign a reader should see
  return fixed ? fmt::format("{:.{}f}", v, precision) : fmt::format("{:.{}g}", v, precision);
}

std::string NumberFormat::spread(double v) const {
  const std::string shown = (*this)(v);
  const bool below_last_digit = fixed && v < std::pow(10.0, -precision);
  const bool reads_zero = shown.find_first_not_of("0.") == std::string::npos;
  if (!(reads_zero || below_last_digit) || !(v > 0) || !std::isfinite(v)) return shown;
  int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(v))));
  // One significant digit as rounded: 0.96 is `1`, not `1.0`.
  if (decimals > 0 && std::round(v * std::pow(10.0, decimals)) >= 10) --decimals;
  return fmt::format("{:.{}f}", v, decimals);
}

NumberFormat format_for(const SummaryGrid& grid, size_t c, int digits, bool counts) {
  std::vector<double> values;
  bool integers = true;
  for (const auto& line : grid)
    if (line[c] && std::isfinite(line[c]->centre)) {
      values.push_back(line[c]->centre);
      integers = integers && line[c]->centre == std::round(line[c]->centre) &&
                 (!line[c]->spread || *line[c]->spread == 0);
    }
  std::sort(values.begin(), values.end());
  double smallest = 0, largest = 0;
  for (double v : values)
    if (v != 0 && std::isfinite(v)) {
      smallest = smallest == 0 ? std::abs(v) : std::min(smallest, std::abs(v));
      largest = std::max(largest, std::abs(v));
    }
  NumberFormat format;
  if (integers || smallest == 0) return format;
  format.fixed = largest / smallest <= 1e4 && smallest >= 1e-3 && largest < 1e9;
  format.precision =
      format.fixed ? std::max(0, digits - 1 - static_cast<int>(std::floor(std::log10(smallest))))
                   : digits;
  if (counts && format.fixed) format.precision = std::min(format.precision, 1);
  for (int extra = 0; extra < 8; ++extra, ++format.precision) {
    bool distinct = true;
    for (size_t i = 1; i < values.size() && distinct; ++i) {
      const bool differ =
          std::abs(values[i] - values[i - 1]) > 1e-12 * std::max(1.0, std::abs(values[i]));
      distinct = !differ || format(values[i]) != format(values[i - 1]);
    }
    if (distinct) break;
  }
  return format;
}

}  // namespace aelab
