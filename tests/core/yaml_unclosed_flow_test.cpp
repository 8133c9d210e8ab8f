// A '[' or '{' never closed is reported where it opens, not at the end of the file.
#include <gtest/gtest.h>

#include "framework/core/error.h"
#include "framework/core/yaml_io.h"
#include "framework/core/yaml_unclosed_flow.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

std::string parse_error(const std::string& yaml) {
  return testing::message_of<ConfigError>([&] { parse_yaml(yaml, "t.yaml"); });
}

std::string opening_of(const std::string& yaml) {
  std::optional<FlowOpening> opening = unclosed_flow_opening(yaml);
  if (!opening) return "none";
  return std::string(1, opening->bracket) + " at " + std::to_string(opening->line) + ":" +
         std::to_string(opening->column);
}

TEST(YamlUnclosedFlow, TheErrorNamesTheBracketThatIsNeverClosed) {
  EXPECT_EQ(parse_error("model:\n  hidden: [64, 32\ntrainer:\n  epochs: 2\n"),
            "t.yaml:2:11: invalid YAML: this '[' is never closed (end the list with ']')");
  EXPECT_EQ(parse_error("a: {b: 1, c: [1, 2]\nd: 3\n"),
            "t.yaml:1:4: invalid YAML: this '{' is never closed (end the mapping with '}')");
}

TEST(YamlUnclosedFlow, CommentsQuotesPlainAndBlockScalarsOpenNothing) {
  const std::string quiet =
      "# a [comment\nname: a[1]\ns: '[x'\nt: 'it''s {'\nd: \"\\\"{\"\nb: |\n  [not\n\n  flow\n"
      "e: &anchor [1, 2]\n- {a: [x, 'y]']}\n";
  EXPECT_EQ(opening_of(quiet), "none");
  EXPECT_EQ(opening_of(quiet + "list: [1, [2, 3]\n"), "[ at 12:7");
  EXPECT_EQ(opening_of("a: [1, [2,\n"), "[ at 1:8");
  EXPECT_EQ(opening_of("- &x {a: 1\n"), "{ at 1:6");
}

TEST(YamlUnclosedFlow, OtherSyntaxErrorsKeepTheReadersPosition) {
  EXPECT_EQ(parse_error("a: [1, 2}\n"), "t.yaml:1:9: invalid YAML: illegal flow end");
}

}  // namespace
}  // namespace aelab
