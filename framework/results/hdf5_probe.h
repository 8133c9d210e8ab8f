// A changed HDF5 file read whole in a child process before the reader opens it: libhdf5 1.10
// loops forever on some damaged files (a zeroed global heap) and may crash on others, which
// would hang or end the sweep, make_table or --status that reads them.
#pragma once

#include <string>

namespace aelab {

/// Reads every object and attribute of the file at `path` in a child process. DataError naming
/// the file when the child does not finish in time (at least 10 s, more for a large file) or
/// dies; nothing where it finishes, or where HDF5 refuses the file cleanly (the reader's own
/// open then says why).
void read_apart_first(const std::string& path);

}  // namespace aelab
