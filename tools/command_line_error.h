// A command-line mistake as the one line a tool prints: an option given a value it cannot read
// says which kind of value it takes (`--jobs 'two': give a whole number`), others as Boost
// words them, an option it lacks the closest it has; each ends with where the options are
// listed.
#pragma once

#include <algorithm>
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "framework/core/suggest.h"

namespace aelab {

/// For an option the tool lacks: `did you mean --jobs? `, or for `--bold` where `--no-bold` is
/// the option, `on by default; --no-bold turns it off; `; "" when none is close.
inline std::string unknown_option_hint(const std::string& given,
                                       const boost::program_options::options_description& options) {
  const size_t letters = given.find_first_not_of('-');
  if (letters == std::string::npos || letters < 2) return "";
  const std::string name = given.substr(letters);
  std::vector<std::string> names;
  for (const auto& option : options.options())  // not the hidden ones, which --help leaves out
    if (!option->description().empty()) names.push_back(option->long_name());
  if (std::find(names.begin(), names.end(), "no-" + name) != names.end())
    return "on by default; --no-" + name + " turns it off; ";
  const std::string close = closest_match(name, names);
  return close.empty() ? "" : "did you mean --" + close + "? ";
}

inline std::string command_line_error(const boost::program_options::error& error,
                                      const boost::program_options::options_description& options,
                                      const std::string& program) {
  namespace po = boost::program_options;
  const std::string see = " (see " + program + " --help)";
  if (const auto* unknown = dynamic_cast<const po::unknown_option*>(&error))
    return error.what() + (" (" + unknown_option_hint(unknown->get_option_name(), options) +
                           "see " + program + " --help)");
  const auto* invalid = dynamic_cast<const po::invalid_option_value*>(&error);
  if (!invalid) return error.what() + see;
  const std::string name = invalid->get_option_name();  // `--jobs` (Boost's, for -j too)
  const size_t letters = name.find_first_not_of('-');
  const po::option_description* option =
      letters == std::string::npos
          ? nullptr
          : options.find_nothrow(name.substr(letters), /*approx=*/false,
                                 /*long_ignore_case=*/false, /*short_ignore_case=*/false);
  if (!option) return error.what() + see;
  const po::value_semantic* semantic = option->semantic().get();
  const char* kind = dynamic_cast<const po::typed_value<int64_t>*>(semantic) ||
                             dynamic_cast<const po::typed_value<int>*>(semantic)
                         ? "a whole number"
                     : dynamic_cast<const po::typed_value<double>*>(semantic) ? "a number"
                                                                              : nullptr;
  if (!kind) return error.what() + see;
  // Boost says "the argument ('two') for option '--jobs' is invalid".
  const std::string what = error.what();
  const size_t open = what.find("('"), close = what.find("')");
  const std::string value =
      open != std::string::npos && close > open ? what.substr(open + 2, close - open - 2) : "";
  return name + " '" + value + "': give " + kind + see;
}

}  // namespace aelab
