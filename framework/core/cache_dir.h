// Where aelab keeps what it can remake (PCA bases, converted datasets): $AELAB_CACHE_DIR, else
// $XDG_CACHE_HOME/aelab, else ~/.cache/aelab. tools/fetch_mnist.sh follows the same rule.
#pragma once

#include <string>

namespace aelab {

/// The cache folder (not created).
std::string default_cache_dir();

}  // namespace aelab
