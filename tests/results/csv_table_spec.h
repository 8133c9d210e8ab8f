// The make_table spec most table tests start from: CSV of test/sse, at full precision.
#pragma once

#include <string>

#include "framework/results/result_table.h"

namespace aelab::testing {

inline TableSpec csv_table_spec(const std::string& rows, const std::string& cols) {
  TableSpec s;
  s.rows = rows;
  s.cols = cols;
  s.metrics = {"test/sse"};
  s.format = "csv";
  return s;
}

}  // namespace aelab::testing
