// A test suite that runs run_sweep on a small MNIST-format dataset of its own (300 training and
// 100 test images of 8 x 8 pixels), each test with its own results and cache folders.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "framework/results/run_record.h"
#include "tests/test_support.h"

namespace aelab::testing {

class ToyDataSweep : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  /// run_sweep with the project's configs on the toy data, results in `out` under this test's
  /// folder; `environment` (`NAME=value ...`) goes before the command.
  CommandResult sweep(const std::string& out, const std::string& arguments,
                      const std::string& environment = "") const;

  /// The run files of the sweep in `out`, by run id.
  std::map<std::string, RunRecord> runs(const std::string& out) const;

  static ScratchDir* data_;
  ScratchDir dir_;
};

}  // namespace aelab::testing
