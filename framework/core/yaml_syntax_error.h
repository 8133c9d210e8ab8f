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
std::string yaml_syntax_error(const YAML::Exception& error, const std::string& text,
                              const std::string& origin);

}  // namespace aelab
