// A changed HDF5 file read whole in a child process before the reader opens it: libhdf5 1.10
// loops forever on some damaged files (a zeroed global heap) and may crash on others, which
// would hang or end the sweep, make_table or --status that reads them.
#pragma once

#include <string>

namespace aelab {

/// Reads every object and attribute of the file at `path` in a child process. DataError naming
/// the file when the child is still reading after the limit (30 s and 1 s per 20 MB;
/// AELAB_HDF5_PROBE_SECONDS sets the 30) or crashes in HDF5 (SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
/// SIGILL). Nothing where the child finishes, HDF5 refuses the file cleanly (the reader's own
/// open then says why), or the check cannot conclude (no child to spare, a child killed by
/// another hand, a stop requested): the reader opens the file as before.
void check_readable_in_child(const std::string& path);

}  // namespace aelab
