// Python's value semantics that Hydra's override functions follow: int(), float(), str() and
// bool() of a value, the order sort() puts values in, and the decimal a float prints as.
#pragma once

#include <optional>
#include <string>

#include "framework/core/config_node.h"

namespace aelab {

/// Whether `node` is a number to Python: an int, a float or a bool.
bool python_is_number(const ConfigNode& node);

/// A number written in decimal: mantissa x 10^exponent, exactly.
struct DecimalNumber {
  long double mantissa = 0;  ///< an integer; long double keeps 18 digits exact
  int exponent = 0;
};

/// The exact decimal Python's str() shows for a number (Hydra computes float ranges on it);
/// none when it has more than 17 digits.
std::optional<DecimalNumber> python_decimal(const ConfigNode& node);

/// Python's `to`() of a value (`to`: int, float, str or bool), item by item in a list or a map;
/// ConfigError with Python's message for what it cannot cast (`int('abc')`).
ConfigNode python_cast(const std::string& to, const ConfigNode& value);

/// -1, 0, 1 as Python's `<` orders two values; ConfigError naming `function` for values it
/// cannot order (a string and a number).
int python_compare(const ConfigNode& a, const ConfigNode& b, const std::string& function);

}  // namespace aelab
