// run_sweep: compose a config with Hydra's grammar, expand its sweeps, and run every job.
#include "tools/run_sweep_command.h"

int main(int argc, char** argv) { return aelab::run_sweep_main(argc, argv); }
