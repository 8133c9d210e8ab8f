// test_sweep's main: the sweep tests, or run_sweep itself where a test's child (or a worker the
// child executed) runs as run_sweep (run_sweep_in_child.h).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>

#include "tests/sweep/run_sweep_in_child.h"
#include "tools/run_sweep_command.h"

int main(int argc, char** argv) {
  if (std::getenv(aelab::testing::kActsAsRunSweep)) return aelab::run_sweep_main(argc, argv);
  // One thread: a child forked from a process whose OpenMP pool has started would hang in its
  // first parallel region. run_sweep sets each job's threads itself.
  torch::set_num_threads(1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
