// What a table's title says of runs that measured only the first test images.
#include "framework/results/test_subset_note.h"

#include <fmt/format.h>

#include <algorithm>

#include "framework/core/suggest.h"

namespace aelab {

std::string test_subset_note(const Tabulation& table, const std::vector<std::string>& row_keys,
                             const std::vector<std::string>& col_keys) {
  const std::set<int64_t>& subsets = table.test_subsets;
  if (subsets.empty() || (subsets.size() == 1 && *subsets.begin() == 0) ||
      table.pooled.count("data.test_subset"))
    return "";
  for (const std::vector<std::string>* keys : {&row_keys, &col_keys})
    if (std::count(keys->begin(), keys->end(), "data.test_subset")) return "";
  if (subsets.size() == 1)
    return fmt::format("; test metrics over the first {} test images (data.test_subset)",
                       *subsets.begin());
  // Several: the counts, and whether other cells measured every test image.
  std::vector<std::string> counts;
  for (int64_t subset : subsets)
    if (subset > 0) counts.push_back(std::to_string(subset));
  if (counts.empty()) return "";
  std::string listed = counts.back();
  if (counts.size() > 1)
    listed = join({counts.begin(), counts.end() - 1}, ", ") + " or " + counts.back();
  return fmt::format(
      "; test metrics over the first {} test images{} (data.test_subset)", listed,
      subsets.count(0) ? " in some cells, over all of them in the others" : ", by cell");
}

}  // namespace aelab
