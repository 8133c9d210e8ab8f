// Floats as text: Python's repr on screen, PyYAML's form in written YAML, and the frozen form
// that run ids hash.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "framework/core/config_node.h"
#include "framework/core/hashing.h"
#include "framework/core/yaml_io.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

TEST(FloatText, FormatFloatWritesWhatPythonsReprWrites) {
  // Each expectation is what /usr/bin/python3 printed for repr() of the value.
  const std::vector<std::pair<double, std::string>> cases{
      {0.0005, "0.0005"},
      {1e-4, "0.0001"},
      {0.00012345, "0.00012345"},
      {1e-5, "1e-05"},
      {-2.5e-7, "-2.5e-07"},
      {0.001, "0.001"},
      {0.1, "0.1"},
      {1.0 / 3, "0.3333333333333333"},
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {100.0, "100.0"},
      {1e6, "1000000.0"},
      {123456789.125, "123456789.125"},
      {1e15, "1000000000000000.0"},
      {9007199254740992.0, "9007199254740992.0"},
      {1e16, "1e+16"},
      {1.5e16, "1.5e+16"},
      {1e22, "1e+22"},
      {5e-324, "5e-324"},
      {std::numeric_limits<double>::max(), "1.7976931348623157e+308"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
      {std::nan(""), "nan"},
  };
  for (const auto& [value, python] : cases) EXPECT_EQ(format_float(value), python) << python;
}

TEST(FloatText, WrittenYamlReadsBackAsTheSameFloatsHereAndInPyYaml) {
  ConfigNode config = ConfigNode::map();
  config.set("lr", ConfigNode::real(0.0005));
  config.set("eps", ConfigNode::real(1e-8));
  config.set("big", ConfigNode::real(1e16));
  config.set("million", ConfigNode::real(1e6));
  config.set("text", ConfigNode::string("5e-04"));
  const std::string yaml = to_yaml(config);
  EXPECT_EQ(yaml, "lr: 0.0005\neps: 1.0e-08\nbig: 1.0e+16\nmillion: 1000000.0\ntext: \"5e-04\"\n");

  const ConfigNode back = parse_yaml(yaml, "written");
  EXPECT_EQ(back.get("lr")->as_float(), 0.0005);
  EXPECT_EQ(back.get("eps")->as_float(), 1e-8);
  EXPECT_EQ(back.get("big")->as_float(), 1e16);
  EXPECT_EQ(back.get("text")->as_string(), "5e-04");

  // What results/README.md tells a reader to do with a run's config_yaml.
  testing::ScratchDir dir;
  dir.write("config.yaml", yaml);
  const auto python = testing::run_command(
      "/usr/bin/python3 -c \"import yaml; c = yaml.safe_load(open('config.yaml')); "
      "print(sorted((k, type(v).__name__, repr(v)) for k, v in c.items()))\"",
      dir.path());
  ASSERT_EQ(python.exit_code, 0) << python.output;
  EXPECT_EQ(python.output,
            "[('big', 'float', '1e+16'), ('eps', 'float', '1e-08'), ('lr', 'float', '0.0005'), "
            "('million', 'float', '1000000.0'), ('text', 'str', \"'5e-04'\")]\n");
}

TEST(FloatText, RunIdsHashTheFloatTextTheyWereFirstMadeFrom) {
  // Run ids and cache keys made before floats were written as Python writes them hashed
  // this text: results folders from then must keep resuming, and caches keep hitting.
  const std::string first_made =
      "seed: 0\ntrainer:\n  lr: 5e-04\n  weight_decay: 1e+06\n"
      "  eps: 1e-08\n  momentum: 0.9\n  scale: 1e+16\n";
  const ConfigNode config = parse_yaml(first_made, "config");
  EXPECT_EQ(yaml_for_hashing(config), first_made);
  EXPECT_NE(to_yaml(config), first_made);
  EXPECT_EQ(format_float_for_hashing(1e-4), "1e-04");
  EXPECT_EQ(format_float_for_hashing(0.001), "0.001");
  EXPECT_EQ(format_float_for_hashing(100.0), "100.0");
}

}  // namespace
}  // namespace aelab
