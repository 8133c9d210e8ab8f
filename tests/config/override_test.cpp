// Hydra override grammar: typed values, prefixes, sweeps and error messages.
#include "framework/config/override.h"

#include <gtest/gtest.h>

#include <cmath>

#include "framework/core/error.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

ConfigNode value_of(const std::string& text) {
  Override item = parse_override(text);
  EXPECT_FALSE(item.is_sweep) << text;
  return item.value;
}

TEST(OverrideGrammar, TypesPrimitivesLikeHydra) {
  EXPECT_EQ(value_of("a=1").kind(), ConfigNode::Kind::kInt);
  EXPECT_EQ(value_of("a=-12").as_int(), -12);
  EXPECT_EQ(value_of("a=1_000").as_int(), 1000);
  EXPECT_EQ(value_of("a=1e-3").kind(), ConfigNode::Kind::kFloat);
  EXPECT_DOUBLE_EQ(value_of("a=1e-3").as_float(), 1e-3);
  EXPECT_DOUBLE_EQ(value_of("a=.5").as_float(), 0.5);
  EXPECT_DOUBLE_EQ(value_of("a=3.").as_float(), 3.0);
  EXPECT_TRUE(std::isinf(value_of("a=inf").as_float()));
  EXPECT_LT(value_of("a=-inf").as_float(), 0);
  EXPECT_TRUE(std::isnan(value_of("a=nan").as_float()));
  EXPECT_EQ(value_of("a=true").kind(), ConfigNode::Kind::kBool);
  EXPECT_FALSE(value_of("a=False").as_bool());
  EXPECT_TRUE(value_of("a=null").is_null());
  EXPECT_EQ(value_of("a=abc").as_string(), "abc");
  EXPECT_EQ(value_of("device=cuda:1").as_string(), "cuda:1");
  EXPECT_EQ(value_of("a=").as_string(), "");
}

TEST(OverrideGrammar, QuotedStringsStayStrings) {
  EXPECT_EQ(value_of("a='1'").kind(), ConfigNode::Kind::kString);
  EXPECT_EQ(value_of("a='1'").as_string(), "1");
  EXPECT_EQ(value_of("a=\"x, y\"").as_string(), "x, y");
  EXPECT_EQ(value_of(R"(a='it\'s')").as_string(), "it's");
  EXPECT_EQ(value_of("a='null'").as_string(), "null");
}

TEST(OverrideGrammar, ListsAndDicts) {
  ConfigNode list = value_of("a=[1, 2.5, x, 'y', [true]]");
  ASSERT_TRUE(list.is_list());
  ASSERT_EQ(list.items().size(), 5u);
  EXPECT_EQ(list.items()[0].as_int(), 1);
  EXPECT_DOUBLE_EQ(list.items()[1].as_float(), 2.5);
  EXPECT_EQ(list.items()[2].as_string(), "x");
  EXPECT_TRUE(list.items()[4].is_list());
  EXPECT_TRUE(value_of("a=[]").items().empty());
  ConfigNode dict = value_of("a={b: 1, c: [2], d: cuda:0}");
  ASSERT_TRUE(dict.is_map());
  EXPECT_EQ(dict.get("b")->as_int(), 1);
  EXPECT_EQ(dict.get("c")->items()[0].as_int(), 2);
  EXPECT_EQ(dict.get("d")->as_string(), "cuda:0");
}

TEST(OverrideGrammar, PrefixesSetTheOperation) {
  EXPECT_EQ(parse_override("a.b=1").op, Override::Op::kChange);
  EXPECT_EQ(parse_override("+a.b=1").op, Override::Op::kAdd);
  EXPECT_EQ(parse_override("++a.b=1").op, Override::Op::kForceAdd);
  Override deletion = parse_override("~a.b");
  EXPECT_EQ(deletion.op, Override::Op::kDelete);
  EXPECT_FALSE(deletion.has_value);
  EXPECT_EQ(deletion.key, "a.b");
  Override conditional = parse_override("~a.b=3");
  EXPECT_TRUE(conditional.has_value);
  EXPECT_EQ(conditional.value.as_int(), 3);
}

TEST(OverrideGrammar, SweepsExpandInOrder) {
  Override simple = parse_override("model.latent_dim=2,4, 8");
  ASSERT_TRUE(simple.is_sweep);
  ASSERT_EQ(simple.values.size(), 3u);
  EXPECT_EQ(simple.values[2].as_int(), 8);
  Override range = parse_override("x=range(1,7,2)");
  ASSERT_TRUE(range.is_sweep);
  ASSERT_EQ(range.values.size(), 3u);
  EXPECT_EQ(range.values[1].as_int(), 3);
  EXPECT_EQ(parse_override("x=range(3)").values.size(), 3u);
  Override float_range = parse_override("x=range(0,1,0.25)");
  ASSERT_EQ(float_range.values.size(), 4u);
  EXPECT_DOUBLE_EQ(float_range.values[3].as_float(), 0.75);
  Override down = parse_override("x=range(5,1,-2)");
  ASSERT_EQ(down.values.size(), 2u);
  EXPECT_EQ(down.values[1].as_int(), 3);
  Override choice = parse_override("x=choice(a, [1,2], 'c,d')");
  ASSERT_EQ(choice.values.size(), 3u);
  EXPECT_TRUE(choice.values[1].is_list());
  EXPECT_EQ(choice.values[2].as_string(), "c,d");
  Override glob = parse_override("encoder=glob(*, exclude=lin*)");
  ASSERT_TRUE(glob.glob.has_value());
  EXPECT_EQ(glob.glob->select({"conv", "linear", "mlp"}),
            (std::vector<std::string>{"conv", "mlp"}));
}

TEST(OverrideGrammar, JsonDescribesTheParse) {
  EXPECT_EQ(parse_override("a=1e-3").to_json(),
            R"({"key": "a", "op": "change", "sweep": false, "value": 0.001})");
  EXPECT_EQ(parse_override("++a=nan").to_json(),
            R"({"key": "a", "op": "force_add", "sweep": false, "value": "nan"})");
  EXPECT_EQ(
      parse_override("a=1,'x',null").to_json(),
      R"({"key": "a", "op": "change", "sweep": true, "kind": "simple", "values": [1, "x", null]})");
  EXPECT_EQ(parse_override("~a").to_json(), R"({"key": "a", "op": "delete", "sweep": false})");
}

TEST(OverrideGrammar, CanonicalTextParsesBackEqual) {
  for (const char* text : {"a='1'", "a=[1,'x y',{b:2}]", "a=1e-08", "a='a,b'", "a=''"}) {
    Override once = parse_override(text);
    Override twice = parse_override(once.canonical_text());
    EXPECT_EQ(once.value, twice.value) << text << " -> " << once.canonical_text();
  }
}

void expect_error(const std::string& text, const std::string& fragment) {
  const std::string message = testing::message_of<ConfigError>([&] { parse_override(text); });
  EXPECT_NE(message.find(fragment), std::string::npos) << "message for " << text << ": " << message;
}

// Inputs the fuzzer found (fuzz/corpus/override_parser_fuzzer/found_*): values that print back
// as text the parser read differently.
TEST(OverrideGrammar, FuzzFindingsPrintBackAsTheSameOverride) {
  for (const char* text : {"a='quo,2)t=${b.c}ed, v0.5)alue'", "a=[x,{b: c, d\\,e: [y]}]",
                           "a='${x}' ", "a='x ${y}'", "a={k\\,1: v}"}) {
    Override once = parse_override(text);
    const std::string canonical = once.canonical_text();
    Override twice = parse_override(canonical);
    EXPECT_EQ(once.value, twice.value) << text << " -> " << canonical;
    EXPECT_EQ(twice.canonical_text(), canonical) << text;
  }
  // range(0.,3.81e5) made 381,000 values; now ranges stop at 100,000.
  EXPECT_EQ(parse_override("a=range(0.,9.9e4)").values.size(), 99000u);
  expect_error("a=range(0.,3.810e5)", "range() would make more than 100000 values");
}

TEST(OverrideGrammar, ErrorsNameTheOverrideAndColumn) {
  expect_error("a=[1,2", "override 'a=[1,2': expected ']' before the end at column 7");
  expect_error("=3", "expected a key");
  expect_error("abc", "expected '=' after the key (write abc=VALUE)");
  expect_error("a='x", "unterminated quoted string");
  expect_error("a=range(a,b)", "range() arguments must be numbers");
  expect_error("a=range(1,5,0)", "step must be a nonzero");
  expect_error("a=range(stop=3)",
               "range(): no start given (write range(0, 3) or range(start=0, stop=3))");
  expect_error("a=range(stop=3,step=2)",
               "range(): no start given (write range(0, 3, 2) or range(start=0, stop=3, step=2))");
  expect_error("a=shuffles(1,2)", "unknown function 'shuffles'");
  expect_error("a=[choice(1,2)]", "sweeps are not allowed inside lists");
  expect_error("a=1,range(3)", "cannot be part of a comma-separated sweep");
  expect_error("a={b:1,b:2}", "duplicate dict key 'b'");
  // Hydra's lexer takes no space between the key and '=' (one after it is part of the value).
  expect_error("seed = 3",
               "override 'seed = 3': a space after the key 'seed' (Hydra takes none there: write "
               "'seed=3') at column 5");
  expect_error("~seed ", "a space after the key 'seed' (Hydra takes none there: write '~seed')");
  expect_error("~seed x", "unexpected space after the key 'seed' at column 6");
  // An '=' in an unquoted value: each word that holds one is shown quoted.
  expect_error("a=b=c",
               "unexpected '=' at column 4 (a value that holds '=' is quoted: write "
               "'a=\"b=c\"', in single quotes on a command line)");
  expect_error("s=[--x=1, \"--y=2\", --z=3]",
               "(a value that holds '=' is quoted: write 's=[\"--x=1\", \"--y=2\", \"--z=3\"]', in "
               "single quotes on a command line)");
  // A ':' is part of a word outside a dict (`gpu:1`), and parts a dict's key from its value.
  expect_error("s=[--gres=gpu:1]", "write 's=[\"--gres=gpu:1\"]'");
  expect_error("d={a: x=1}", "write 'd={a: \"x=1\"}'");
  EXPECT_EQ(value_of("seed= 3").as_int(), 3);
}

}  // namespace
}  // namespace aelab
