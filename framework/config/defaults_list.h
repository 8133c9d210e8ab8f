// The defaults list as composition works on it: its entries, the files of group options, and
// the group choices that group options make in defaults lists of their own.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "framework/config/composition.h"

namespace aelab {

/// One entry of a flattened defaults list.
struct DefaultsEntry {
  bool is_self = false;
  ConfigNode self;  ///< the owning file's own keys, for `_self_`
  std::string group, option;
  bool optional = false;
  /// Chosen by an `override` in a primary config: group options' lists leave it alone.
  bool pinned = false;
  SourceMark mark;
};

/// Whether a defaults entry chooses an option of `group` (not a file's own keys), as a
/// predicate for std::find_if and its kin.
inline auto chooses(std::string group) {
  return [group = std::move(group)](const DefaultsEntry& entry) {
    return !entry.is_self && entry.group == group;
  };
}

/// Path of option `option` of `group`.
std::string option_path(const ConfigSource& source, const std::string& group,
                        const std::string& option);

/// ConfigError naming `where` when `group` has no option `option`, with a suggestion.
void check_option_exists(const ConfigSource& source, const std::string& group,
                         const std::string& option, const std::string& where);

/// True for a defaults-list interpolation such as `${encoder}`.
bool is_choice_interpolation(const std::string& option);

/// Hydra's defaults lists in group options: `model/conv_ae.yaml` may say
/// `- override /encoder: conv` or `- /prior: normal`. Choices made on the command line
/// (`from_command_line`) win; an option chosen this way has its own list applied in turn.
void apply_option_defaults(const ConfigSource& source, std::vector<DefaultsEntry>& entries,
                           const std::set<std::string>& from_command_line);

}  // namespace aelab
