// Exit codes for the error hierarchy.
#include "framework/core/error.h"

namespace aelab {

int exit_code_for(const std::exception& error) {
  if (dynamic_cast<const ConfigError*>(&error) || dynamic_cast<const DataError*>(&error)) return 2;
  return 1;
}

}  // namespace aelab
