// Where this build's source tree lies, for the programs that fall back to its configs/ and for
// the tests. Only source_tree.cpp is compiled with the path, so that every other object's
// compile is the same in any clone and ccache shares it between clones.
#pragma once

#include <string>

namespace aelab {

/// The absolute path of the source tree this binary was built from.
std::string source_tree();

}  // namespace aelab
