// Hydra's override functions, case by case as Hydra's own parser tests pin them
// (tests/test_overrides_parser.py of facebookresearch/hydra): casts, sort, shuffle, tag,
// choice, range (Hydra's decimal float ranges, empty ranges) and interval.
#include <gtest/gtest.h>

#include <cmath>

#include "framework/config/override.h"
#include "framework/core/error.h"

namespace aelab {
namespace {

/// The JSON of `x=TEXT` after its key and op: what --parse says of the value.
std::string parsed(const std::string& value) {
  const std::string json = parse_override("x=" + value).to_json();
  return json.substr(json.find("\"sweep\""));
}

struct Case {
  const char* input;
  const char* expected;
};

TEST(HydraFunctions, ValuesAndCastsAgreeWithHydra) {
  const Case cases[] = {
      {"int(10.0)", R"("sweep": false, "value": 10})"},
      {"str(10.0)", R"("sweep": false, "value": "10.0"})"},
      {"bool(10.0)", R"("sweep": false, "value": true})"},
      {"float(10)", R"("sweep": false, "value": 10.0})"},
      {"float(float(10))", R"("sweep": false, "value": 10.0})"},
      {"int(0)", R"("sweep": false, "value": 0})"},
      {"bool(0)", R"("sweep": false, "value": false})"},
      {"str(1e6)", R"("sweep": false, "value": "1000000.0"})"},
      {"int(1e6)", R"("sweep": false, "value": 1000000})"},
      {"str(inf)", R"("sweep": false, "value": "inf"})"},
      {"int('10')", R"("sweep": false, "value": 10})"},
      {"float('10.0')", R"("sweep": false, "value": 10.0})"},
      {"bool('true')", R"("sweep": false, "value": true})"},
      {"bool('false')", R"("sweep": false, "value": false})"},
      {"str(true)", R"("sweep": false, "value": "true"})"},
      {"int([1.5, [2.5]])", R"("sweep": false, "value": [1, [2]]})"},
      {"str({a: 10})", R"("sweep": false, "value": {"a": "10"}})"},
      {"int(value=10.5)", R"("sweep": false, "value": 10})"},
      {"float(1,2)", R"("sweep": true, "kind": "simple", "values": [1.0, 2.0]})"},
      {"choice(str(10))", R"("sweep": true, "kind": "choice", "values": ["10"]})"},
      {"[int(1.5), 2]", R"("sweep": false, "value": [1, 2]})"},
  };
  for (const auto& c : cases) EXPECT_EQ(parsed(c.input), c.expected) << c.input;
  EXPECT_TRUE(std::isinf(parse_override("x=float(inf)").value.as_float()));
}

TEST(HydraFunctions, SortShuffleAndTagAgreeWithHydra) {
  const Case cases[] = {
      {"sort([2,3,1])", R"("sweep": false, "value": [1, 2, 3]})"},
      {"sort([2,3,1],reverse=true)", R"("sweep": false, "value": [3, 2, 1]})"},
      {"sort(1)", R"("sweep": false, "value": 1})"},
      {"sort({a:10})", R"("sweep": false, "value": {"a": 10}})"},
      {"sort(list=[])", R"("sweep": false, "value": []})"},
      {"sort(list=[1,2,3], reverse=True)", R"("sweep": false, "value": [3, 2, 1]})"},
      {"sort(3,2,1)", R"("sweep": true, "kind": "simple", "values": [1, 2, 3]})"},
      {"sort(true,0.5,false)", R"("sweep": true, "kind": "simple", "values": [false, 0.5, true]})"},
      {"sort(a,c,b,reverse=true)",
       R"("sweep": true, "kind": "simple", "values": ["c", "b", "a"]})"},
      {"float(sort(3,2,1))", R"("sweep": true, "kind": "simple", "values": [1.0, 2.0, 3.0]})"},
      {"sort(float(3,2,1))", R"("sweep": true, "kind": "simple", "values": [1.0, 2.0, 3.0]})"},
      {"sort(sweep=choice(1,2,3))", R"("sweep": true, "kind": "choice", "values": [1, 2, 3]})"},
      {"sort(choice(1,2,3), reverse=True)",
       R"("sweep": true, "kind": "choice", "values": [3, 2, 1]})"},
      {"sort(tag(a,b,choice(1,2,3)), reverse=True)",
       R"("sweep": true, "kind": "choice", "tags": ["a", "b"], "values": [3, 2, 1]})"},
      {"sort(range(9,0,-1))",
       R"("sweep": true, "kind": "range", "values": [1, 2, 3, 4, 5, 6, 7, 8, 9]})"},
      {"sort(range(1,10),reverse=True)",
       R"("sweep": true, "kind": "range", "values": [9, 8, 7, 6, 5, 4, 3, 2, 1]})"},
      {"sort(range(1.5,-0.5,-0.5))",
       R"("sweep": true, "kind": "range", "values": [0.0, 0.5, 1.0, 1.5]})"},
      {"sort(range(0,5,2),reverse=True)",
       R"("sweep": true, "kind": "range", "values": [4, 2, 0]})"},
      {"tag(choice(a,b))", R"("sweep": true, "kind": "choice", "values": ["a", "b"]})"},
      {"tag(tag1,tag2,choice(a,b))",
       R"("sweep": true, "kind": "choice", "tags": ["tag1", "tag2"], "values": ["a", "b"]})"},
      {"tag(tag1,tag2,sweep=range(1,2))",
       R"("sweep": true, "kind": "range", "tags": ["tag1", "tag2"], "values": [1]})"},
      {"tag(tag1,tag2,interval(0,2))",
       R"("sweep": true, "kind": "interval", "tags": ["tag1", "tag2"], "interval": [0.0, 2.0], "values": []})"},
  };
  for (const auto& c : cases) EXPECT_EQ(parsed(c.input), c.expected) << c.input;
  // shuffle: the same values in an order seeded by the override, the same every time.
  Override once = parse_override("x=shuffle(range(1,10))");
  EXPECT_TRUE(once.shuffled);
  EXPECT_EQ(once.values.size(), 9u);
  EXPECT_EQ(parse_override("x=shuffle(range(1,10))").to_json(), once.to_json());
  EXPECT_EQ(parse_override("x=shuffle([1,2,3])").value.items().size(), 3u);
}

TEST(HydraFunctions, RangesAndIntervalsAgreeWithHydra) {
  const Case cases[] = {
      {"range(10,11)", R"("sweep": true, "kind": "range", "values": [10]})"},
      {"range(start=1,stop=10,step=2)",
       R"("sweep": true, "kind": "range", "values": [1, 3, 5, 7, 9]})"},
      {"range(1.0, 3.14)", R"("sweep": true, "kind": "range", "values": [1.0, 2.0, 3.0]})"},
      {"range(-10)", R"("sweep": true, "kind": "range", "values": []})"},
      {"range(-10, step=-1)",
       R"("sweep": true, "kind": "range", "values": [0, -1, -2, -3, -4, -5, -6, -7, -8, -9]})"},
      {"range(5.5, step=0.5)",
       R"("sweep": true, "kind": "range", "values": [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0]})"},
      {"range(0, 0.3, 0.1)", R"("sweep": true, "kind": "range", "values": [0.0, 0.1, 0.2]})"},
      {"range(10.0, 5.0, -2)", R"("sweep": true, "kind": "range", "values": [10.0, 8.0, 6.0]})"},
      {"interval(10,11)",
       R"("sweep": true, "kind": "interval", "interval": [10.0, 11.0], "values": []})"},
      {"interval(start=2.72,end=3.14)",
       R"("sweep": true, "kind": "interval", "interval": [2.72, 3.14], "values": []})"},
      {"choice (a,b)", R"("sweep": true, "kind": "choice", "values": ["a", "b"]})"},
      {"choice( 10 , 20 )", R"("sweep": true, "kind": "choice", "values": [10, 20]})"},
  };
  for (const auto& c : cases) EXPECT_EQ(parsed(c.input), c.expected) << c.input;
  // range(1.0, 3.14, 0.1): computed in decimal as Hydra does, so 1.7 is 1.7.
  Override decimal = parse_override("x=range(1.0, 3.14, 0.1)");
  ASSERT_EQ(decimal.values.size(), 22u);
  EXPECT_EQ(decimal.values[7].as_float(), 1.7);
}

TEST(HydraFunctions, MistakesSayWhatHydraWouldRefuse) {
  for (const char* text : {"x=sort(3,2,str(1))", "x=int(inf)", "x=int(nan)", "x=int('10.0')",
                           "x=float('true')", "x=bool('10')", "x=str(interval(0,1))", "x=choice()",
                           "x=tag(a,b)", "x=choice(choice(1,2))", "x=int()"}) {
    EXPECT_THROW(parse_override(text), ConfigError) << text;
  }
}

}  // namespace
}  // namespace aelab
