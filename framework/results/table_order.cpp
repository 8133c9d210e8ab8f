// make_table --order.
#include "framework/results/table_order.h"

#include <algorithm>

#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {

namespace {

bool has_label(const std::vector<TableLabel>& labels, const std::string& text) {
  return std::any_of(labels.begin(), labels.end(),
                     [&](const TableLabel& label) { return label.text == text; });
}

std::vector<std::string> texts_of(const std::vector<TableLabel>& labels) {
  std::vector<std::string> out;
  for (const auto& label : labels) out.push_back(label.text);
  return out;
}

}  // namespace

void put_in_order(Tabulation& table, const std::vector<std::string>& order) {
  if (order.empty()) return;
  std::vector<TableLabel>& labels = has_label(table.cols, order.front()) ? table.cols : table.rows;
  for (const auto& text : order)
    if (!has_label(labels, text))
      throw ConfigError("--order " + join(order, ",") + ": no " +
                        (!has_label(table.rows, order.front()) ? "column or row"
                         : &labels == &table.cols              ? "column"
                                                               : "row") +
                        " is labelled '" + text +
                        "' (columns: " + join(texts_of(table.cols), ", ") +
                        "; rows: " + join(texts_of(table.rows), ", ") + ")");
  const auto place = [&](const TableLabel& label) {
    const auto at = std::find(order.begin(), order.end(), label.text);
    return static_cast<size_t>(at - order.begin());  // order.size() for the unlisted
  };
  std::stable_sort(labels.begin(), labels.end(),
                   [&](const TableLabel& a, const TableLabel& b) { return place(a) < place(b); });
}

}  // namespace aelab
