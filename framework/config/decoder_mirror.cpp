// A decoder's `mirror` layers.
#include "framework/config/decoder_mirror.h"

namespace aelab {

bool is_mirror(const ConfigNode& value) {
  return value.kind() == ConfigNode::Kind::kString && value.as_string() == "mirror";
}

std::optional<ConfigNode> mirrored_list(const ConfigNode* encoder, const ConfigNode& decoder,
                                        const std::string& key) {
  const ConfigNode* encoder_name = encoder && encoder->is_map() ? encoder->get("name") : nullptr;
  const ConfigNode* decoder_name = decoder.is_map() ? decoder.get("name") : nullptr;
  if (!encoder_name || !decoder_name || encoder_name->text() != decoder_name->text())
    return std::nullopt;
  const ConfigNode* theirs = encoder->get(key);
  if (!theirs || !theirs->is_list()) return std::nullopt;
  return ConfigNode::list({theirs->items().rbegin(), theirs->items().rend()});
}

}  // namespace aelab
