#include "framework/core/source_tree.h"

namespace aelab {

std::string source_tree() { return AELAB_SOURCE_DIR; }

}  // namespace aelab
