// The override grammar's functions, on parsed arguments.
#include "framework/config/override_functions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>

#include "framework/config/python_values.h"
#include "framework/core/error.h"

namespace aelab {
namespace {

using Kind = ConfigNode::Kind;

[[noreturn]] void bad(const std::string& message) { throw ConfigError(message); }

std::vector<ConfigNode> sorted(std::vector<ConfigNode> values, bool reverse) {
  std::stable_sort(values.begin(), values.end(), [&](const ConfigNode& a, const ConfigNode& b) {
    return reverse ? python_compare(b, a, "sort") < 0 : python_compare(a, b, "sort") < 0;
  });
  return values;
}

/// A Fisher-Yates shuffle seeded by the override's text: the same command, the same order.
std::vector<ConfigNode> shuffled(std::vector<ConfigNode> values, const std::string& seed_text) {
  uint64_t seed = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : seed_text) seed = (seed ^ c) * 1099511628211ull;
  std::mt19937_64 generator(seed);
  for (size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[generator() % i]);
  return values;
}

/// Positional arguments, and the one named argument of each allowed name.
struct Arguments {
  std::vector<ParsedElement> positional;
  std::map<std::string, ParsedElement> named;
};

Arguments split(const std::string& function, const std::vector<ParsedElement>& args,
                const std::vector<std::string>& names) {
  Arguments out;
  for (const auto& arg : args) {
    if (arg.name.empty()) {
      if (!out.named.empty()) bad(function + "(): a positional argument follows a named one");
      out.positional.push_back(arg);
    } else if (std::find(names.begin(), names.end(), arg.name) == names.end()) {
      bad(fmt::format(
          "{}() has no argument '{}'{}", function, arg.name,
          names.empty() ? "" : " (it takes " + fmt::format("{}", fmt::join(names, ", ")) + ")"));
    } else if (!out.named.emplace(arg.name, arg).second) {
      bad(fmt::format("{}(): argument '{}' given twice", function, arg.name));
    }
  }
  return out;
}

ParsedElement plain(const ConfigNode& value) {
  ParsedElement out;
  out.value = value;
  return out;
}

/// One value or sweep from a cast's arguments: `int(1.5)`, `int(value=1.5)`, `int(1,2)`.
ParsedElement cast_argument(const std::string& function, const std::vector<ParsedElement>& args) {
  Arguments given = split(function, args, {"value"});
  if (!given.positional.empty() && given.named.count("value"))
    bad(function + "(): give the value by position or as value=, not both");
  if (given.named.count("value")) return given.named["value"];
  if (given.positional.empty()) bad(function + "() needs a value");
  if (given.positional.size() == 1) return given.positional[0];
  return simple_sweep(given.positional);
}

ParsedElement cast(const std::string& to, const std::vector<ParsedElement>& args) {
  ParsedElement target = cast_argument(to, args);
  if (!target.sweep) return plain(python_cast(to, target.value));
  if (target.interval) {
    if (to == "str" || to == "bool") bad("intervals cannot be cast to " + to);
    ParsedElement out = target;
    out.interval = {python_cast(to, ConfigNode::real(target.interval->first)).as_float(),
                    python_cast(to, ConfigNode::real(target.interval->second)).as_float()};
    return out;
  }
  if (target.glob) bad(to + "() cannot cast a glob()");
  ParsedElement out = target;
  if (!target.range.empty()) {
    if (to != "int" && to != "float") bad("a range can only be cast to int or float");
    for (auto& bound : out.range) bound = python_cast(to, bound);
    out.values = range_values(out.range[0], out.range[1], out.range[2]);
    return out;
  }
  for (auto& value : out.values) value = python_cast(to, value);
  return out;
}

ParsedElement number_argument_check(const ParsedElement& arg, const std::string& function) {
  if (arg.sweep || !python_is_number(arg.value) || arg.value.kind() == Kind::kBool)
    bad(fmt::format("{}() arguments must be numbers, got '{}'", function,
                    arg.sweep ? "a sweep" : arg.value.text()));
  return arg;
}

ParsedElement make_range(const std::vector<ParsedElement>& args) {
  Arguments given = split("range", args, {"start", "stop", "step"});
  static const char* kNames[] = {"start", "stop", "step"};
  std::vector<std::optional<ConfigNode>> slots(3);
  if (given.positional.size() > 3) bad("range() takes at most 3 arguments: start, stop, step");
  for (size_t i = 0; i < given.positional.size(); ++i)
    slots[i] = number_argument_check(given.positional[i], "range").value;
  for (size_t s = 0; s < 3; ++s)
    if (given.named.count(kNames[s])) {
      if (slots[s]) bad(std::string("range(): argument '") + kNames[s] + "' given twice");
      slots[s] = number_argument_check(given.named[kNames[s]], "range").value;
    }
  if (!slots[0] && slots[1]) {  // as Hydra: a stop alone is the first argument, not `stop=`
    const std::string stop = slots[1]->text(), step = slots[2] ? slots[2]->text() : "";
    bad("range(): no start given (write range(0, " + stop + (step.empty() ? "" : ", " + step) +
        ") or range(start=0, stop=" + stop + (step.empty() ? "" : ", step=" + step) + "))");
  }
  if (!slots[0]) bad("range() needs at least a stop value");
  if (!slots[1]) {  // range(stop)
    slots[1] = slots[0];
    slots[0] = ConfigNode::integer(0);
  }
  ParsedElement out;
  out.sweep = true;
  out.kind = "range";
  out.range = {*slots[0], *slots[1], slots[2] ? *slots[2] : ConfigNode::integer(1)};
  out.values = range_values(out.range[0], out.range[1], out.range[2]);
  return out;
}

ParsedElement make_interval(const std::vector<ParsedElement>& args) {
  Arguments given = split("interval", args, {"start", "end"});
  std::vector<ParsedElement> bounds = given.positional;
  if (given.named.count("start")) bounds.insert(bounds.begin(), given.named["start"]);
  if (given.named.count("end")) bounds.push_back(given.named["end"]);
  if (bounds.size() != 2) bad("interval() takes two numbers: start and end");
  ParsedElement out;
  out.sweep = true;
  out.kind = "interval";
  out.interval = {number_argument_check(bounds[0], "interval").value.as_float(),
                  number_argument_check(bounds[1], "interval").value.as_float()};
  return out;
}

ParsedElement make_choice(const std::vector<ParsedElement>& args) {
  Arguments given = split("choice", args, {});
  if (given.positional.empty()) bad("choice() needs at least one value");
  if (given.positional.size() == 1 && given.positional[0].sweep) {
    if (given.positional[0].kind != "simple") bad("choice() cannot hold another sweep");
    ParsedElement out = given.positional[0];
    out.kind = "choice";
    return out;
  }
  ParsedElement out = simple_sweep(given.positional);
  out.kind = "choice";
  return out;
}

ParsedElement make_glob(const std::vector<ParsedElement>& args) {
  Arguments given = split("glob", args, {"include", "exclude"});
  auto patterns = [&](const ParsedElement& arg) {
    std::vector<std::string> out;
    if (!arg.sweep && arg.value.kind() == Kind::kString) {
      out.push_back(arg.value.as_string());
    } else if (!arg.sweep && arg.value.is_list()) {
      for (const auto& item : arg.value.items()) out.push_back(item.text());
    } else {
      bad("glob() patterns must be strings or lists of strings");
    }
    return out;
  };
  if (given.positional.size() > 2) bad("glob() takes include and exclude");
  GlobSweep glob;
  if (given.positional.size() > 0) glob.include = patterns(given.positional[0]);
  if (given.positional.size() > 1) glob.exclude = patterns(given.positional[1]);
  if (given.named.count("include")) glob.include = patterns(given.named["include"]);
  if (given.named.count("exclude")) glob.exclude = patterns(given.named["exclude"]);
  if (glob.include.empty()) bad("glob() needs an include pattern such as glob(*)");
  ParsedElement out;
  out.sweep = true;
  out.kind = "glob";
  out.glob = glob;
  return out;
}

ParsedElement make_tag(const std::vector<ParsedElement>& args) {
  Arguments given = split("tag", args, {"sweep"});
  std::vector<ParsedElement> items = given.positional;
  if (given.named.count("sweep")) items.push_back(given.named["sweep"]);
  if (items.empty() || !items.back().sweep || items.back().kind == "simple" ||
      items.back().kind == "glob")
    bad("tag(): the last argument must be a choice(), range() or interval()");
  ParsedElement out = items.back();
  out.tags.clear();
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    if (items[i].sweep || items[i].value.kind() != Kind::kString)
      bad("tag(): tags must be strings, got '" + items[i].value.text() + "'");
    out.tags.insert(items[i].value.as_string());
  }
  return out;
}

/// sort() and shuffle() share their arguments: one list, one sweep, or several values.
ParsedElement reorder(const std::string& function, const std::vector<ParsedElement>& args,
                      const std::string& seed_text) {
  const bool sorting = function == "sort";
  Arguments given = split(function, args,
                          sorting ? std::vector<std::string>{"sweep", "list", "reverse"}
                                  : std::vector<std::string>{"sweep", "list"});
  bool reverse = false;
  if (given.named.count("reverse")) {
    const ParsedElement& flag = given.named["reverse"];
    if (flag.sweep || flag.value.kind() != Kind::kBool)
      bad("sort(): reverse must be true or false");
    reverse = flag.value.as_bool();
  }
  ParsedElement target;
  if (given.named.count("list")) {
    target = given.named["list"];
    if (target.sweep || !target.value.is_list()) bad(function + "(): list= takes a list");
  } else if (given.named.count("sweep")) {
    target = given.named["sweep"];
    if (!target.sweep) bad(function + "(): sweep= takes a sweep");
  } else if (given.positional.size() == 1) {
    target = given.positional[0];
  } else if (given.positional.size() > 1) {
    target = simple_sweep(given.positional);
  } else {
    bad(function + "() needs a list or a sweep");
  }
  if (target.sweep) {
    if (target.interval || target.glob) bad(function + "() cannot reorder an interval or a glob");
    target.range.clear();
    if (sorting)
      target.values = sorted(target.values, reverse);
    else {
      target.values = shuffled(target.values, seed_text);
      target.shuffled = true;
    }
    return target;
  }
  if (!target.value.is_list()) return sorting ? target : plain(ConfigNode::list({target.value}));
  std::vector<ConfigNode> items = target.value.items();
  return plain(ConfigNode::list(sorting ? sorted(items, reverse) : shuffled(items, seed_text)));
}

}  // namespace

ParsedElement simple_sweep(const std::vector<ParsedElement>& elements) {
  ParsedElement out;
  out.sweep = true;
  out.kind = "simple";
  for (const auto& element : elements) {
    if (element.sweep) bad("a sweep cannot be one value of another sweep");
    out.values.push_back(element.value);
  }
  return out;
}

ParsedElement call_override_function(const std::string& name,
                                     const std::vector<ParsedElement>& args,
                                     const std::string& seed_text) {
  if (name == "int" || name == "float" || name == "str" || name == "bool") return cast(name, args);
  if (name == "choice") return make_choice(args);
  if (name == "range") return make_range(args);
  if (name == "interval") return make_interval(args);
  if (name == "glob") return make_glob(args);
  if (name == "tag") return make_tag(args);
  if (name == "sort" || name == "shuffle") return reorder(name, args, seed_text);
  bad("unknown function '" + name +
      "' (supported: choice, range, interval, glob, int, float, str, bool, sort, shuffle, tag)");
}

std::vector<ConfigNode> range_values(const ConfigNode& start, const ConfigNode& stop,
                                     const ConfigNode& step) {
  const bool integers =
      start.kind() == Kind::kInt && stop.kind() == Kind::kInt && step.kind() == Kind::kInt;
  const double delta = step.as_float();
  if (delta == 0 || !std::isfinite(delta)) bad("range() step must be a nonzero finite number");
  const double count = std::max(0.0, std::ceil((stop.as_float() - start.as_float()) / delta));
  // A sweep axis this long would be refused by --max-jobs anyway; stop before building it.
  if (count > 1e5) bad("range() would make more than 100000 values");
  std::vector<ConfigNode> values;
  if (integers) {
    for (int64_t v = start.as_int(); step.as_int() > 0 ? v < stop.as_int() : v > stop.as_int();
         v += step.as_int())
      values.push_back(ConfigNode::integer(v));
    return values;
  }
  std::optional<DecimalNumber> a = python_decimal(start), b = python_decimal(stop),
                               s = python_decimal(step);
  if (a && b && s) {  // exactly, in decimal, as Hydra does
    const int exponent = std::min({a->exponent, b->exponent, s->exponent});
    auto scaled = [&](const DecimalNumber& d) {
      return d.mantissa * std::pow(10.0L, d.exponent - exponent);
    };
    const long double first = scaled(*a), last = scaled(*b), by = scaled(*s);
    if (std::fabs(first) < 1e18L && std::fabs(last) < 1e18L && std::fabs(by) < 1e18L) {
      for (long double v = first; by > 0 ? v < last : v > last; v += by)
        values.push_back(ConfigNode::real(std::strtod(
            fmt::format("{:.0f}e{}", static_cast<double>(v), exponent).c_str(), nullptr)));
      return values;
    }
  }
  for (int64_t i = 0; i < static_cast<int64_t>(count); ++i)
    values.push_back(ConfigNode::real(start.as_float() + static_cast<double>(i) * delta));
  return values;
}

}  // namespace aelab
