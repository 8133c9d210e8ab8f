// `mirror` as a decoder's list of layers (decoder.hidden, decoder.channels): the list of the
// same name of an encoder of its kind, reversed. The decoder's group follows the encoder's
// (`decoder: ${encoder}`), and with `mirror` its layers do too: encoder.hidden=[128,32] gives a
// 32-128 decoder. Beside an encoder of another kind (conv encoder, mlp decoder), or one without
// that list, `mirror` is the decoder's own default, as it was before decoders mirrored.
#pragma once

#include "framework/core/config_node.h"

namespace aelab {

/// `config` with each `mirror` of decoder.hidden and decoder.channels replaced by its layers,
/// mirrored from `encoder` (the job's normalized encoder section; null where it has none). Where
/// it came from is kept, so a later error names the decoder's line.
ConfigNode with_mirrored_layers(const ConfigNode& config, const ConfigNode* encoder);

}  // namespace aelab
