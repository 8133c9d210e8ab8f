// A decoder's layers as its encoder's, reversed.
#include "framework/sweep/jobs/mirrored_layers.h"

#include "framework/config/decoder_mirror.h"
#include "framework/core/error.h"
#include "framework/core/registry.h"

namespace aelab {

ConfigNode with_mirrored_layers(const ConfigNode& config, const ConfigNode* encoder) {
  ConfigNode out = config;
  ConfigNode* decoder = out.get("decoder");
  const ConfigNode* name = decoder && decoder->is_map() ? decoder->get("name") : nullptr;
  if (!name) return out;  // normalizing the decoder says what is wrong
  for (const std::string key : {"hidden", "channels"}) {
    ConfigNode* layers = decoder->get(key);
    if (!layers || !is_mirror(*layers)) continue;
    std::optional<ConfigNode> mirrored = mirrored_list(encoder, *decoder, key);
    if (!mirrored) {  // the decoder's own default
      try {
        const ConfigNode defaults =
            RegistryCatalog::instance().find("decoder", name->text(), "decoder").defaults();
        const ConfigNode* own = defaults.get(key);
        if (!own) continue;  // no option of this decoder: normalizing it says so
        mirrored = *own;
      } catch (const Error&) {
        return out;  // no such decoder: normalizing it says so
      }
    }
    mirrored->mark = layers->mark;
    *layers = *mirrored;
  }
  return out;
}

}  // namespace aelab
