// YAML that cannot be read: the message says where the mistake is and how to mend it; a '[' or
// '{' never closed is reported where it opens, not at the end of the file.
#include <gtest/gtest.h>

#include "framework/core/error.h"
#include "framework/core/yaml_io.h"
#include "framework/core/yaml_unclosed.h"
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

TEST(YamlUnclosedQuote, AQuoteLeftOpenIsAnErrorNotAStringToTheEnd) {
  // yaml-cpp reads this as data.root = "/data trainer: epochs: 1 ", trainer lost.
  EXPECT_EQ(parse_error("data:\n  root: \"/data\ntrainer:\n  epochs: 1\n"),
            "t.yaml:2:9: invalid YAML: this \" is never closed (end the string with \")");
  EXPECT_EQ(parse_error("a: 'it''s\nb: 1\n"),
            "t.yaml:1:4: invalid YAML: this ' is never closed (end the string with ')");
  // Quotes closed on a later line, or inside a plain or block scalar, are fine.
  EXPECT_EQ(parse_yaml("a: \"two\n  lines\"\nb: it's\nc: |\n  'open\n", "t.yaml").get("b")->text(),
            "it's");
}

TEST(YamlSyntaxError, CommonMistakesSayHowToMendThem) {
  EXPECT_EQ(parse_error("a: [1, 2}\n"),
            "t.yaml:1:9: invalid YAML: illegal flow end (this bracket closes nothing: remove it, "
            "or open it earlier)");
  EXPECT_EQ(parse_error("trainer:\n\tlr: 1\n"),
            "t.yaml:2:1: invalid YAML: this line is indented with a tab (indent with spaces: "
            "YAML allows no tabs there)");
  EXPECT_EQ(parse_error("a:\n  - 1\n\t- 2\n"),
            "t.yaml:3:1: invalid YAML: this line is indented with a tab (indent with spaces: "
            "YAML allows no tabs there)");
  EXPECT_EQ(parse_error("name: a: b\n"),
            "t.yaml:1:8: invalid YAML: illegal map value (check this line's indentation against "
            "the lines above, and quote a value that holds ': ')");
  EXPECT_EQ(parse_error("a:\n  b: 1\n c: 2\n"),
            "t.yaml:3:2: invalid YAML: end of map not found (this line's indentation matches no "
            "section above it; align it with the keys of its section)");
  // A message without a known cause is passed on as the reader gave it.
  EXPECT_EQ(parse_error("a: !<x\n"), "t.yaml:1:7: invalid YAML: end of verbatim tag not found");
}

TEST(YamlFiles, AFileWrittenAgainIsReadAgainEvenAtTheSameSizeAndMoment) {
  testing::ScratchDir dir;
  const std::string path = dir.write("c.yaml", "epochs: 1\n");
  EXPECT_EQ(load_yaml_file(path).get("epochs")->text(), "1");
  EXPECT_EQ(load_yaml_file(path).get("epochs")->text(), "1");  // the parsed tree kept
  testing::ScratchDir::write_file(path, "epochs: 2\n");
  EXPECT_EQ(load_yaml_file(path).get("epochs")->text(), "2");
  testing::ScratchDir::write_file(path, "epochs: [\n");
  EXPECT_EQ(testing::message_of<ConfigError>([&] { load_yaml_file(path); }),
            path + ":1:9: invalid YAML: this '[' is never closed (end the list with ']')");
  testing::ScratchDir::write_file(path, "epochs: 1\n");
  EXPECT_EQ(load_yaml_file(path).get("epochs")->text(), "1");
}

}  // namespace
}  // namespace aelab
