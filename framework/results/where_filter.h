// How `make_table --where KEY=VALUE` reads a value: numbers compare as numbers, lists as an
// override writes them, null as `null`, and `a,b` as either value, as a Hydra sweep writes them.
#pragma once

#include <string>
#include <vector>

#include "framework/core/config_node.h"

namespace aelab {

/// Whether a run's value of a key is `wanted` (numbers compare as numbers: 16 = 16.0; a list
/// as `[512,256]`; null as `null`, `None` or `all`).
bool where_value_matches(const ConfigNode& value, const std::string& wanted);

/// The values of a filter: `mlp,pca` is either; commas inside brackets belong to a list value
/// (`encoder.hidden=[512,256]`).
std::vector<std::string> where_alternatives(const std::string& wanted);

}  // namespace aelab
