// Python's value semantics that Hydra's override functions follow: int(), float(), str() and
// bool() of a value, the order sort() puts values in, and the decimal a float prints as.
#include "framework/config/python_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {
namespace {

using Kind = ConfigNode::Kind;

[[noreturn]] void python_error(const std::string& message) { throw ConfigError(message); }

/// Python's int() of a string: optional sign and digits (single underscores between digits).
ConfigNode int_of_text(const std::string& text) {
  std::string trimmed = text;
  trimmed.erase(0, trimmed.find_first_not_of(" \t"));
  trimmed.erase(trimmed.find_last_not_of(" \t") + 1);
  std::string digits;
  for (size_t i = 0; i < trimmed.size(); ++i) {
    char c = trimmed[i];
    if (c == '_' && i > 0 && i + 1 < trimmed.size() && std::isdigit(trimmed[i - 1]) &&
        std::isdigit(trimmed[i + 1]))
      continue;
    digits += c;
  }
  char* end = nullptr;
  errno = 0;
  long long parsed = digits.empty() ? 0 : std::strtoll(digits.c_str(), &end, 10);
  if (digits.empty() || *end != '\0' || errno != 0 || !std::isdigit(digits.back()))
    python_error(fmt::format("int(): invalid literal for int() with base 10: '{}'", text));
  return ConfigNode::integer(parsed);
}

/// Python's float() of a string: decimal or exponent notation, inf, nan.
ConfigNode float_of_text(const std::string& text) {
  std::string trimmed = text;
  trimmed.erase(0, trimmed.find_first_not_of(" \t"));
  trimmed.erase(trimmed.find_last_not_of(" \t") + 1);
  const std::string lower = lowercase(trimmed);
  char* end = nullptr;
  double parsed = std::strtod(trimmed.c_str(), &end);
  if (trimmed.empty() || *end != '\0' || lower.find('x') != std::string::npos)
    python_error(fmt::format("float(): could not convert string to float: '{}'", text));
  return ConfigNode::real(parsed);
}

}  // namespace

bool python_is_number(const ConfigNode& node) {
  return node.kind() == Kind::kInt || node.kind() == Kind::kFloat || node.kind() == Kind::kBool;
}

std::optional<DecimalNumber> python_decimal(const ConfigNode& node) {
  std::string text =
      node.kind() == Kind::kFloat ? format_float(node.as_float()) : std::to_string(node.as_int());
  DecimalNumber out;
  size_t e = text.find_first_of("eE");
  if (e != std::string::npos) {
    out.exponent = std::atoi(text.c_str() + e + 1);
    text = text.substr(0, e);
  }
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.erase(0, 1);
  size_t dot = text.find('.');
  if (dot != std::string::npos) {
    out.exponent -= static_cast<int>(text.size() - dot - 1);
    text.erase(dot, 1);
  }
  if (text.empty() || text.size() > 17 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  out.mantissa = std::strtold(text.c_str(), nullptr) * (negative ? -1 : 1);
  return out;
}

ConfigNode python_cast(const std::string& to, const ConfigNode& value) {
  switch (value.kind()) {
    case Kind::kList: {
      ConfigNode out = ConfigNode::list();
      for (const auto& item : value.items()) out.items().push_back(python_cast(to, item));
      return out;
    }
    case Kind::kMap: {
      ConfigNode out = ConfigNode::map();
      for (const auto& [key, item] : value.entries()) out.set(key, python_cast(to, item));
      return out;
    }
    case Kind::kNull:
      python_error(to + "(): cannot cast null");
    default:
      break;
  }
  if (to == "int") {
    if (value.kind() == Kind::kString) return int_of_text(value.as_string());
    if (value.kind() == Kind::kFloat) {
      const double x = value.as_float();
      if (std::isinf(x)) python_error("int(): cannot convert float infinity to integer");
      if (std::isnan(x)) python_error("int(): cannot convert float NaN to integer");
      return ConfigNode::integer(static_cast<int64_t>(std::trunc(x)));
    }
    return ConfigNode::integer(value.kind() == Kind::kBool ? value.as_bool() : value.as_int());
  }
  if (to == "float") {
    if (value.kind() == Kind::kString) return float_of_text(value.as_string());
    if (value.kind() == Kind::kBool) return ConfigNode::real(value.as_bool() ? 1.0 : 0.0);
    return ConfigNode::real(value.as_float());
  }
  if (to == "str") {
    if (value.kind() == Kind::kString) return value;
    if (value.kind() == Kind::kBool) return ConfigNode::string(value.as_bool() ? "true" : "false");
    if (value.kind() == Kind::kFloat) return ConfigNode::string(format_float(value.as_float()));
    return ConfigNode::string(std::to_string(value.as_int()));
  }
  // bool
  if (value.kind() == Kind::kString) {
    const std::string lower = lowercase(value.as_string());
    if (lower == "true") return ConfigNode::boolean(true);
    if (lower == "false") return ConfigNode::boolean(false);
    python_error(fmt::format("bool(): cannot cast '{}' to bool", value.as_string()));
  }
  if (value.kind() == Kind::kFloat) return ConfigNode::boolean(value.as_float() != 0);
  if (value.kind() == Kind::kInt) return ConfigNode::boolean(value.as_int() != 0);
  return value;
}

/// -1, 0, 1 as Python's `<` orders two sort keys; ConfigError for values it cannot order.
int python_compare(const ConfigNode& a, const ConfigNode& b, const std::string& function) {
  if (python_is_number(a) && python_is_number(b)) {
    auto value = [](const ConfigNode& node) {  // True is 1, as in Python
      return node.kind() == Kind::kBool ? (node.as_bool() ? 1.0 : 0.0) : node.as_float();
    };
    const double x = value(a), y = value(b);
    return x < y ? -1 : y < x ? 1 : 0;
  }
  if (a.kind() == Kind::kString && b.kind() == Kind::kString)
    return a.as_string() < b.as_string() ? -1 : b.as_string() < a.as_string() ? 1 : 0;
  if (a.kind() == Kind::kList && b.kind() == Kind::kList) {
    for (size_t i = 0; i < std::min(a.items().size(), b.items().size()); ++i)
      if (int c = python_compare(a.items()[i], b.items()[i], function)) return c;
    return a.items().size() < b.items().size() ? -1 : a.items().size() > b.items().size();
  }
  python_error(
      fmt::format("{}(): cannot order {} and {} values", function, a.type_name(), b.type_name()));
}

}  // namespace aelab
