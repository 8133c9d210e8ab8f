// run_sweep run in a forked child of the test program, which links run_sweep's command: the
// program's own code and exit code, without its start-up. Loading LibTorch costs each process
// about 0.7 s of CPU, and the sweep tests start run_sweep some 200 times.
#pragma once

#include <string>

#include "tests/test_support.h"

namespace aelab::testing {

/// The environment variable that makes the test program act as run_sweep: set in each child,
/// so a worker the child executes (not forks) runs as run_sweep too.
extern const char* const kActsAsRunSweep;

/// `run_sweep ARGUMENTS` as /bin/sh would run it (quotes, $VAR and $(...) expand as there), in
/// `directory`, with `environment` (`NAME=value ...`) added to this program's. Where this program
/// runs threads (CUDA started), the run_sweep program itself.
CommandResult run_sweep(const std::string& arguments, const std::string& environment = "",
                        const std::string& directory = ".");

}  // namespace aelab::testing
