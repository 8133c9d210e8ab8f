// Reading config trees from YAML files (with file:line:col marks) and writing them back.
#pragma once

#include <string>

#include "framework/core/config_node.h"

namespace aelab {

/// Parses YAML text; `origin` names the source in marks and errors. Throws ConfigError.
ConfigNode parse_yaml(const std::string& text, const std::string& origin);

/// Reads and parses a YAML file. Throws ConfigError when unreadable or malformed.
ConfigNode load_yaml_file(const std::string& path);

/// Block-style YAML that parse_yaml reads back to an equal tree (strings that would
/// re-type are quoted; floats round-trip exactly, written as PyYAML writes them, so that
/// yaml.safe_load reads `1.0e-05` as a float).
std::string to_yaml(const ConfigNode& node);

/// The YAML that run ids and cache keys hash: to_yaml's layout with the float text of
/// format_float_for_hashing, so that a config keeps the id it was first given.
std::string yaml_for_hashing(const ConfigNode& node);

/// Compact JSON for one node (nan and inf as the strings "nan", "inf", "-inf").
std::string to_json(const ConfigNode& node);

}  // namespace aelab
