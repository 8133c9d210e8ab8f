// The functions of Hydra's override grammar, on parsed arguments: the sweeps choice, range,
// interval and glob; the casts int, float, str and bool (on values, lists, dicts and sweeps);
// sort (reverse=), shuffle (seeded: the same override gives the same order) and tag. Functions
// nest as in Hydra: `sort(float(range(3)), reverse=true)`, `tag(a, b, choice(1, 2))`.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "framework/config/override.h"
#include "framework/core/config_node.h"

namespace aelab {

/// A parsed element or function result: a plain value or a sweep.
struct ParsedElement {
  ConfigNode value;  ///< when not a sweep
  bool sweep = false;
  std::vector<ConfigNode> values;  ///< a sweep's values, in order
  std::string kind;                ///< simple, choice, range, interval or glob
  std::set<std::string> tags;
  bool shuffled = false;
  std::optional<GlobSweep> glob;
  std::optional<std::pair<double, double>> interval;
  std::vector<ConfigNode> range;  ///< start, stop, step of a range not yet sorted or shuffled
  std::string name;               ///< of a named argument (`reverse=true`)
};

/// A comma-separated list of plain elements as Hydra's simple choice sweep (`a,b,c`).
ParsedElement simple_sweep(const std::vector<ParsedElement>& elements);

/// Calls function `name` on `args`; `seed_text` (the override) seeds shuffle(). Throws
/// ConfigError saying what is wrong, without the position (the parser adds it).
ParsedElement call_override_function(const std::string& name,
                                     const std::vector<ParsedElement>& args,
                                     const std::string& seed_text);

/// The values of range(start, stop, step) as Hydra makes them: integers when all three are,
/// else floats computed in decimal (`range(1.0, 3.14, 0.1)` gives 1.7, not 1.7000000000000002).
std::vector<ConfigNode> range_values(const ConfigNode& start, const ConfigNode& stop,
                                     const ConfigNode& step);

}  // namespace aelab
