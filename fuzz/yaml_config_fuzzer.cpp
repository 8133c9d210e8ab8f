// Fuzzes YAML configs with interpolation: any text is read, resolved and written back, or
// rejected with a ConfigError; never a crash, a hang or unbounded memory.
#include <cstdint>
#include <string>

#include "framework/config/composition.h"
#include "framework/core/error.h"
#include "framework/core/yaml_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    aelab::ConfigNode config = aelab::parse_yaml(text, "fuzz.yaml");
    aelab::resolve_interpolations(config);
    (void)aelab::to_yaml(config);
    (void)aelab::to_json(config);
  } catch (const aelab::ConfigError&) {
  }
  return 0;
}
