// The host name.
#include "framework/core/host.h"

#include <unistd.h>

namespace aelab {

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

}  // namespace aelab
