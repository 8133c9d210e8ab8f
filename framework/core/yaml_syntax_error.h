// The one-line message for YAML text that yaml-cpp cannot read: where the mistake most likely
// is, and how to mend it.
#pragma once

#include <string>

namespace YAML {
class Exception;
}

namespace aelab {

/// "origin:line:col: invalid YAML: <what> (<how to mend it>)". An unclosed '[' or '{' is placed
/// where it opens (yaml-cpp places it at the end of the file).
/// "origin:line:col: invalid YAML: ", the start of every such message (1-based line and column).
std::string invalid_yaml_at(const std::string& origin, int line, int column);

std::string yaml_syntax_error(const YAML::Exception& error, const std::string& text,
                              const std::string& origin);

}  // namespace aelab
