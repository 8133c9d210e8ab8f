// yaml-cpp's messages, each with the mistake that usually causes it in a config file.
#include "framework/core/yaml_syntax_error.h"

#include <yaml-cpp/exceptions.h>

#include <optional>
#include <utility>
#include <vector>

#include "framework/core/yaml_unclosed.h"

namespace aelab {
namespace {

/// How to mend the mistakes behind yaml-cpp's most common messages in hand-written configs.
std::string mending_hint(const std::string& message) {
  static const std::vector<std::pair<std::string, std::string>> hints = {
      {YAML::ErrorMsg::MAP_VALUE,
       "check this line's indentation against the lines above, and quote a value that holds "
       "': '"},
      {YAML::ErrorMsg::END_OF_MAP,
       "this line's indentation matches no section above it; align it with the keys of its "
       "section"},
      {YAML::ErrorMsg::END_OF_SEQ,
       "this line's indentation matches no list above it; align it with the items of its list"},
      {YAML::ErrorMsg::FLOW_END, "this bracket closes nothing: remove it, or open it earlier"},
      {YAML::ErrorMsg::UNKNOWN_ANCHOR, "define the anchor with &name before using *name"},
      {YAML::ErrorMsg::BLOCK_ENTRY,
       "a '- ' item must start a line of its own, indented under its key"},
  };
  for (const auto& [known, hint] : hints)
    if (message == known) return " (" + hint + ")";
  return "";
}

/// Whether the indentation of line `line` (0-based) of `text` holds a tab: yaml-cpp then
/// reports whatever the tab made of the line, seldom the tab itself.
bool indented_with_tab(const std::string& text, int line) {
  size_t start = 0;
  for (int i = 0; i < line && start != std::string::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return false;
  for (size_t i = start; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i)
    if (text[i] == '\t') return true;
  return false;
}

}  // namespace

std::string invalid_yaml_at(const std::string& origin, int line, int column) {
  return origin + ":" + std::to_string(line) + ":" + std::to_string(column) + ": invalid YAML: ";
}

std::string yaml_syntax_error(const YAML::Exception& error, const std::string& text,
                              const std::string& origin) {
  const std::string& message = error.msg;
  const char wanted = message == YAML::ErrorMsg::END_OF_SEQ_FLOW   ? '['
                      : message == YAML::ErrorMsg::END_OF_MAP_FLOW ? '{'
                                                                   : 0;
  if (wanted) {
    std::optional<FlowOpening> opening = unclosed_flow_opening(text);
    if (opening && opening->bracket == wanted) {
      return invalid_yaml_at(origin, opening->line, opening->column) + "this '" + wanted +
             "' is never closed (end the " +
             (wanted == '[' ? "list with ']'" : "mapping with '}'") + ")";
    }
  }
  if (indented_with_tab(text, error.mark.line))
    return invalid_yaml_at(origin, error.mark.line + 1, 1) +
           "this line is indented with a tab (indent with spaces: YAML allows no tabs there)";
  return invalid_yaml_at(origin, error.mark.line + 1, error.mark.column + 1) + message +
         mending_hint(message);
}

}  // namespace aelab
