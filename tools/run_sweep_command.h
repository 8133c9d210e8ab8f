// run_sweep's command line as a function, for the run_sweep program and for test programs that
// register plugins of their own and run sweeps through them.
#pragma once

namespace aelab {

/// Runs run_sweep with these arguments (argv[0] is the program); returns its exit code: 0 when
/// every run completed or diverged, 1 when some failed, 2 for usage or config errors.
int run_sweep_main(int argc, char** argv);

}  // namespace aelab
