// Fuzzes Hydra's override grammar: any text is parsed or rejected with a ConfigError, and what
// parses prints back (canonical text) as an override that parses to the same canonical text.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "framework/config/override.h"
#include "framework/core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  aelab::Override parsed;
  try {
    parsed = aelab::parse_override(text);
  } catch (const aelab::ConfigError&) {
    return 0;
  }
  (void)parsed.to_json();
  if (parsed.glob) return 0;  // glob() has no value list to print back
  // range() may give up to 100,000 values: printing and parsing them all again is slow, not wrong.
  if (parsed.values.size() > 1000) return 0;
  const std::string canonical = parsed.canonical_text();
  try {
    if (aelab::parse_override(canonical).canonical_text() != canonical) std::abort();
  } catch (const aelab::ConfigError&) {
    std::abort();  // what the parser printed must parse again
  }
  return 0;
}
