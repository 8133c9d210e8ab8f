// The rule of a decoder's `mirror` layers (decoder.hidden, decoder.channels), shared by the
// job's normalization (framework/sweep/jobs/mirrored_layers.h) and the errors of overrides: the
// list of the same name of an encoder of the decoder's kind, reversed.
#pragma once

#include <optional>
#include <string>

#include "framework/core/config_node.h"

namespace aelab {

/// Whether `value` is the word `mirror`.
bool is_mirror(const ConfigNode& value);

/// The list `decoder.<key>: mirror` stands for beside `encoder` (sections with `name`): the
/// encoder's `<key>` reversed, where the encoder is of the decoder's kind and has that list;
/// nullopt otherwise (the decoder's own default applies).
std::optional<ConfigNode> mirrored_list(const ConfigNode* encoder, const ConfigNode& decoder,
                                        const std::string& key);

}  // namespace aelab
