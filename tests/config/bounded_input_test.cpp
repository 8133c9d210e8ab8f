// Hostile sizes end in a ConfigError, never a crash, a hang or an out-of-memory: overrides of
// any length or nesting, interpolations that double at every level, YAML alias bombs.
#include <gtest/gtest.h>

#include "framework/config/composition.h"
#include "framework/config/override.h"
#include "framework/config/sweep_expansion.h"
#include "framework/core/error.h"
#include "framework/core/yaml_io.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

std::string error_of(const std::function<void()>& action) {
  return testing::message_of<ConfigError>(action);
}

std::string repeated(const std::string& part, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += part;
  return out;
}

TEST(BoundedInput, DeeplyNestedOverridesAreAnError) {
  for (const std::string& text : {"a=" + repeated("[", 100000) + repeated("]", 100000),
                                  "+a=" + repeated("{k:", 20000) + "1" + repeated("}", 20000),
                                  "a=[" + repeated("{k:[", 40) + "1" + repeated("]}", 40) + "]"}) {
    std::string error = error_of([&] { parse_override(text); });
    EXPECT_NE(error.find("lists and dicts nested more than 64 levels deep"), std::string::npos)
        << error.substr(0, 300);
    EXPECT_LT(error.size(), 400u) << "the override is shortened in the message";
    if (text.size() > 160) EXPECT_NE(error.find("characters)"), std::string::npos) << error;
  }
  // 64 levels are fine.
  Override fine = parse_override("a=" + repeated("[", 64) + repeated("]", 64));
  EXPECT_TRUE(fine.value.is_list());
}

TEST(BoundedInput, LongValuesParse) {
  Override digits = parse_override("+a=" + std::string(100000, '7'));
  EXPECT_EQ(digits.value.kind(), ConfigNode::Kind::kString);  // too long for any number
  Override word = parse_override("+a=" + std::string(100000, 'x'));
  EXPECT_EQ(word.value.as_string().size(), 100000u);
  std::string list = "a=[" + repeated("1,", 20000) + "1]";
  EXPECT_EQ(parse_override(list).value.items().size(), 20001u);
  Override sweep = parse_override("a=" + repeated("x,", 20000) + "x");
  ASSERT_EQ(sweep.values.size(), 20001u);
  EXPECT_TRUE(sweep.with_value(sweep.values[0]).values.empty());
  EXPECT_EQ(typed_scalar(std::string(300, '1')).kind(), ConfigNode::Kind::kString);
  EXPECT_EQ(typed_scalar("123").kind(), ConfigNode::Kind::kInt);
}

TEST(BoundedInput, HugeSweepsAreRefusedByCount) {
  testing::ScratchDir dir;
  dir.write("config.yaml", "name: x\n");
  ConfigSource source(dir.path());
  std::vector<Override> sweeps = {parse_override("a=" + repeated("x,", 30000) + "x")};
  std::string error = error_of([&] { expand_sweeps(source, {}, sweeps, 10000); });
  EXPECT_NE(error.find("the sweep expands to 30001 jobs"), std::string::npos) << error;
  error = error_of([&] { parse_override("a=range(0,100000000000000000000)"); });
  EXPECT_NE(error.find("more than 100000 values"), std::string::npos) << error;
}

TEST(BoundedInput, ALongSweepsValuesQuoteItShortened) {
  // Each value of a sweep quotes the sweep in its errors, as errors show it: not a copy of the
  // whole text per value (30,000 values of a 60,000-character sweep took 1.8 GB that way).
  const Override sweep = parse_override("a=" + repeated("x,", 30000) + "x");
  ASSERT_EQ(sweep.values.size(), 30001u);
  const Override one = sweep.with_value(sweep.values.back());
  EXPECT_LT(one.origin.origin.size(), 200u);
  EXPECT_EQ(one.origin.describe(), "override 'a=" + repeated("x,", 59) + "...(60003 characters)'");
  EXPECT_EQ(one.origin.describe(), sweep.mark().describe());
}

class InterpolationBounds : public ::testing::Test {
 protected:
  std::string compose_error(const std::string& yaml) {
    dir_.write("config.yaml", yaml);
    ConfigSource source(dir_.path());
    return error_of([&] { compose_job(source, dir_.file("config.yaml"), JobSpec{}); });
  }
  testing::ScratchDir dir_;
};

TEST_F(InterpolationBounds, ValuesThatDoubleAtEveryLevelStopAtAMegabyte) {
  std::string yaml = "name: bomb\nv0: xxxxxxxx\n";
  for (int i = 1; i < 40; ++i)
    yaml += "v" + std::to_string(i) + ": ${v" + std::to_string(i - 1) + "}${v" +
            std::to_string(i - 1) + "}\n";
  std::string error = compose_error(yaml);
  EXPECT_NE(error.find("interpolation makes a value longer than 1048576 characters"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("config.yaml:"), std::string::npos) << error;
}

TEST_F(InterpolationBounds, CyclesAndLongChains) {
  EXPECT_NE(compose_error("name: c\na: ${b}\nb: ${c}\nc: ${a}\n").find("interpolation cycle"),
            std::string::npos);
  EXPECT_NE(compose_error("name: c\na: x${a}\n").find("interpolation cycle through ${a}"),
            std::string::npos);
  std::string chain = "name: c\nv0: end\n";
  for (int i = 1; i <= 40; ++i)
    chain += "v" + std::to_string(i) + ": ${v" + std::to_string(i - 1) + "}\n";
  EXPECT_EQ(compose_error(chain), "no error");  // 40 references deep, no cycle
}

TEST(BoundedYaml, AliasBombsAreAnError) {
  std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 12; ++i) {
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) yaml += std::string(j ? ", " : "") + "*a" + std::to_string(i - 1);
    yaml += "]\n";
  }
  std::string error = error_of([&] { parse_yaml(yaml, "bomb.yaml"); });
  EXPECT_NE(error.find("bomb.yaml:"), std::string::npos) << error;
  EXPECT_NE(error.find("the YAML expands to more than 100000 values"), std::string::npos) << error;
  // An alias used a few times is fine.
  EXPECT_EQ(error_of([] { parse_yaml("a: &x {b: 1}\nc: *x\nd: *x\n", "ok.yaml"); }), "no error");
  // So are more values than that, written out (the job list of a sweep of 40,000 jobs).
  std::string long_list = "a:\n";
  for (int i = 0; i < 150000; ++i) long_list += "- 1\n";
  EXPECT_EQ(parse_yaml(long_list, "jobs.yaml").get("a")->items().size(), 150000u);
}

TEST(BoundedYaml, InputsThatMadeTheYamlReaderLoop) {
  // Found by the fuzzer: YAML::LoadAll never returned on these bytes; Load reads no document.
  ConfigNode odd = parse_yaml(std::string(",\x03\xC6\xD9"), "odd.yaml");
  EXPECT_TRUE(odd.is_map() && odd.entries().empty());
  EXPECT_EQ(error_of([] { parse_yaml("%YAML 1.2\n---\na: 1\n", "directive.yaml"); }), "no error");
  EXPECT_NE(error_of([] {
              parse_yaml("a: 1\n--- \nb: 2\n", "two.yaml");
            }).find("two.yaml:2: a second YAML document"),
            std::string::npos);
}

TEST(BoundedYaml, DeepNestingIsAnError) {
  std::string error = error_of(
      [] { parse_yaml("a: " + repeated("[", 300) + repeated("]", 300) + "\n", "deep.yaml"); });
  EXPECT_NE(error.find("deep.yaml:"), std::string::npos) << error;
  EXPECT_NE(error.find("nested more than"), std::string::npos) << error;
}

}  // namespace
}  // namespace aelab
