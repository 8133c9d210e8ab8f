// Parameterized conformance tests named by their plugin: `AllEncoders/EncoderConformance.X/mlp`,
// not `/3`, so that --gtest_filter='*speckle*' runs one plugin's tests and a failure names it.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace aelab::testing {

inline std::string plugin_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

}  // namespace aelab::testing
