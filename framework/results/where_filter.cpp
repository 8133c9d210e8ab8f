// The values of --where filters.
#include "framework/results/where_filter.h"

#include <algorithm>
#include <cstdlib>

namespace aelab {

bool where_value_matches(const ConfigNode& value, const std::string& wanted) {
  if (value.kind() == ConfigNode::Kind::kNull)
    return wanted == "null" || wanted == "all" || wanted == "None";
  if (value.is_list()) {  // [512,256] as an override writes it
    auto squeezed = [](std::string text) {
      text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
      return text;
    };
    return squeezed(value.text()) == squeezed(wanted);
  }
  if (value.kind() == ConfigNode::Kind::kInt || value.kind() == ConfigNode::Kind::kFloat) {
    char* end = nullptr;
    const double number = std::strtod(wanted.c_str(), &end);
    if (end != wanted.c_str() && *end == '\0') return number == value.as_float();
  }
  return value.text() == wanted;
}

std::vector<std::string> where_alternatives(const std::string& wanted) {
  std::vector<std::string> values{""};
  int depth = 0;
  for (char c : wanted) {
    if (c == '[' || c == '{') ++depth;
    if ((c == ']' || c == '}') && depth > 0) --depth;
    if (c == ',' && depth == 0)
      values.emplace_back();
    else
      values.back() += c;
  }
  return values;
}

}  // namespace aelab
