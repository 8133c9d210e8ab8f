// Where a YAML flow collection or quoted scalar opens that is never closed. yaml-cpp reports
// such a '[' or '{' at the end of the file, which is seldom where the mistake is, and takes an
// unclosed quote to run to the end of the file, keys and all.
#pragma once

#include <optional>
#include <string>

namespace aelab {

/// A '[', '{' or quote of a YAML text, at a 1-based line and column.
struct FlowOpening {
  int line = 0;
  int column = 0;
  char bracket = '[';
};

/// The innermost flow collection of `text` still open at its end, if one is. Comments, quoted
/// scalars and block scalars (`|`, `>`) are skipped, and a bracket inside a plain scalar
/// (`name: a[1]`) opens nothing, as in YAML.
std::optional<FlowOpening> unclosed_flow_opening(const std::string& text);

/// The quote (' or ") of a quoted scalar still open at the end of `text`, if one is.
std::optional<FlowOpening> unclosed_quote(const std::string& text);

}  // namespace aelab
