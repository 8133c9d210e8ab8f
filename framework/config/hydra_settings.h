// Hydra's own settings (hydra.run.dir, hydra.sweep.dir, hydra/launcher=...), which a Hydra user
// types out of habit: aelab keeps what they set elsewhere, and its errors say where.
#pragma once

#include <string>
#include <vector>

namespace aelab {

/// Whether `key` is one of Hydra's own settings: `hydra`, `hydra.*` or `hydra/*`.
bool is_hydra_setting(const std::string& key);

/// " (aelab has no hydra section: ...)": where aelab keeps what Hydra's settings set.
std::string hydra_settings_note();

/// The end of an error about a top-level `key` that is none of `known`: the note above for a
/// Hydra setting, where the key came from `file` in a folder of its name (`- /common/base` in a
/// defaults list) how to merge it at the top level, else the nearest known key.
std::string unknown_top_level_key_note(const std::string& key,
                                       const std::vector<std::string>& known,
                                       const std::string& file = "");

}  // namespace aelab
