// run_sweep's command line: its options, and the mode they ask for (a sweep, its dry run,
// --cfg, --status, --list, --parse, --reproduce), each mode refusing what it does not read.
#pragma once

#include <boost/program_options.hpp>

namespace aelab {

/// The options --help shows.
boost::program_options::options_description run_sweep_options();

/// The parsed command line. ConfigError for an unknown or malformed option, for two modes at
/// once, and for an option or override the mode would ignore (`--status DIR model=conv`).
boost::program_options::variables_map parse_run_sweep_arguments(
    int argc, char** argv, const boost::program_options::options_description& visible);

}  // namespace aelab
