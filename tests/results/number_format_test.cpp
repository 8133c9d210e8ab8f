// A column's number format: the decimals its values need, and means of counts.
#include "framework/results/number_format.h"

#include <gtest/gtest.h>

#include <cmath>

namespace aelab {
namespace {

SummaryGrid column_of(const std::vector<std::pair<double, double>>& centres_and_spreads) {
  SummaryGrid grid;
  for (const auto& [centre, spread] : centres_and_spreads) {
    Summary summary;
    summary.centre = centre;
    summary.spread = spread;
    grid.push_back({summary});
  }
  return grid;
}

TEST(NumberFormat, MeansOfCountsGetOneDecimalUnlessTheyNeedMore) {
  // Active units over seeds: 5 ± 3.46 is `5.0 ± 3.5`, where a measurement gets 4 digits.
  const SummaryGrid units = column_of({{5.0, 3.4641}, {12.5, 0.7071}});
  const NumberFormat counted = format_for(units, 0, 4, /*counts=*/true);
  EXPECT_EQ(counted(5.0) + " ± " + counted.spread(3.4641), "5.0 ± 3.5");
  EXPECT_EQ(format_for(units, 0, 4)(5.0), "5.000");
  // A spread under the last decimal shows its first significant digit as rounded.
  const NumberFormat whole = format_for(column_of({{68.0, 0.96}, {70.0, 0.5}}), 0, 2);
  EXPECT_EQ(whole.spread(0.96) + " " + whole.spread(0.46) + " " + whole.spread(0.06), "1 0.5 0.06");
  // Means that one decimal would print alike get the decimals that tell them apart.
  const NumberFormat close = format_for(column_of({{5.25, 0.5}, {5.2, 0.5}}), 0, 4, true);
  EXPECT_EQ(close(5.25) + " " + close(5.2), "5.25 5.20");
}

TEST(NumberFormat, ANanIsNanWhateverItsSign) {
  const NumberFormat format = format_for(column_of({{0.5, 0.1}}), 0, 4);
  EXPECT_EQ(format(-std::nan("")), "nan");
  EXPECT_EQ(format(std::nan("")), "nan");
  EXPECT_EQ(NumberFormat()(-std::nan("")), "nan");
}

}  // namespace
}  // namespace aelab
