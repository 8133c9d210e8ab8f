// Options declared once: decoding, unknown keys, constraints, encoding and the registry.
#include <gtest/gtest.h>

#include <cmath>

#include "framework/core/registry.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

struct ToyOptions {
  std::vector<int64_t> hidden{8, 4};
  std::string activation = "relu";
  double rate = 0.5;
  std::optional<int64_t> limit;
  int64_t every = 0;
  template <class V>
  void visit(V& v) {
    v("hidden", hidden, "hidden widths", AtLeast{1});
    v("activation", activation, "nonlinearity", OneOf{{"relu", "tanh"}});
    v("rate", rate, "a rate", Between{0, 1});
    v("limit", limit, "optional cap");
    v("every", every, "save every N epochs (0: never)", AtLeast{0});
  }
};

struct Toy {
  Toy(ToyOptions options, const int& context) : options(std::move(options)), context(context) {}
  ToyOptions options;
  int context;
};

Registry<Toy, int>& toy_registry() {
  static Registry<Toy, int> registry("toy");
  return registry;
}
AELAB_REGISTER_PLUGIN(toy_registry(), "toy_a", Toy, ToyOptions).describe("first toy");

std::string error_of(const std::string& yaml) {
  return testing::message_of<ConfigError>(
      [&] { decode_options<ToyOptions>(parse_yaml(yaml, "t.yaml"), "encoder", "encoder 'toy'"); });
}

TEST(Options, DecodeFillsDefaultsAndValues) {
  auto options = decode_options<ToyOptions>(parse_yaml("hidden: [3]\nlimit: 9\n", "t"), "e");
  EXPECT_EQ(options.hidden, std::vector<int64_t>{3});
  EXPECT_EQ(options.activation, "relu");
  EXPECT_EQ(*options.limit, 9);
}

TEST(Options, ErrorsNameFileKeyExpectationAndSuggestion) {
  EXPECT_EQ(error_of("hiden: [3]\n"),
            "t.yaml:1:8: encoder.hiden: unknown option for encoder 'toy' (did you mean 'hidden'? "
            "known: hidden, activation, rate, limit, every)");
  // An option no misspelling, set by a file: mend the file, or the command line can delete it.
  EXPECT_EQ(error_of("channels: [16, 32]\n"),
            "t.yaml:1:11: encoder.channels: unknown option for encoder 'toy' (known: hidden, "
            "activation, rate, limit, every); correct it in that file, or delete it with "
            "~encoder.channels on the command line");
  EXPECT_EQ(error_of("hidden: 3\n"),  // one value where a list goes: the list of it
            "t.yaml:1:9: encoder.hidden: expected a list of ints, got int '3' (a list, even of "
            "one value: encoder.hidden=[3])");
  EXPECT_EQ(error_of("hidden: x\n"),
            "t.yaml:1:9: encoder.hidden: expected a list of ints, got string 'x' (for example "
            "[8, 4])");
  EXPECT_EQ(error_of("hidden: null\n"),
            "t.yaml:1:9: encoder.hidden: expected a list of ints, got null (for example [8, 4])");
  EXPECT_EQ(plural_of("a bool (true or false)"), "bools (true or false)");
  EXPECT_EQ(plural_of("a list of ints"), "lists of ints");
  EXPECT_EQ(error_of("rate: 2\n"),
            "t.yaml:1:7: encoder.rate: expected a value in [0.0, 1.0], got '2' (for example 0.5, "
            "the default)");
  EXPECT_EQ(error_of("activation: relux\n"),
            "t.yaml:1:13: encoder.activation: expected one of relu, tanh, got 'relux' (did you "
            "mean 'relu'?)");
  EXPECT_EQ(error_of("activation: sigmoid\n"),
            "t.yaml:1:13: encoder.activation: expected one of relu, tanh, got 'sigmoid'");
  EXPECT_EQ(error_of("limit: 99999999999999999999\n"),  // not "got float '1e+20'"
            "t.yaml:1:8: encoder.limit: expected an int or null, got 99999999999999999999, "
            "outside the range of an int (-9223372036854775808 to 9223372036854775807)");
  EXPECT_EQ(error_of("hidden: [0]\n"),
            "t.yaml:1:9: encoder.hidden: expected values >= 1, got '[0]' (for example [8, 4], "
            "the default)");
  // The default's meaning, where the option's description gives one.
  EXPECT_EQ(error_of("every: -1\n"),
            "t.yaml:1:8: encoder.every: expected a value >= 0, got '-1' (for example 0, the "
            "default: never)");
}

struct NamedOptions {
  std::string run;
  template <class V>
  void visit(V& v) {
    v("run", run, "a run id");
  }
};

TEST(Options, AStringOptionTakesANumberAsItWasWritten) {
  const auto run_of = [](const std::string& yaml) {
    return decode_options<NamedOptions>(parse_yaml(yaml, "t.yaml"), "trainer").run;
  };
  EXPECT_EQ(run_of("run: 455751741547\n"), "455751741547");
  EXPECT_EQ(run_of("run: 5e3210987654\n"), "5e3210987654");
  EXPECT_EQ(run_of("run: 1_000\n"), "1_000");
  EXPECT_EQ(run_of("run: '0012'\n"), "0012");
  EXPECT_THROW(run_of("run: true\n"), ConfigError);
  EXPECT_THROW(run_of("run: [1]\n"), ConfigError);
}

struct TypedOptions {
  int64_t epochs = 1;
  double lr = 0.1;
  bool flag = false;
  std::optional<int64_t> limit;
  template <class V>
  void visit(V& v) {
    v("epochs", epochs, "epochs");
    v("lr", lr, "rate");
    v("flag", flag, "flag");
    v("limit", limit, "cap");
  }
};

TEST(Options, ATypedOptionTakesTheTextOfItsType) {
  // `${oc.env:VAR}` gives a string, as in OmegaConf; typed options read it as their type.
  auto options = decode_options<TypedOptions>(
      parse_yaml("epochs: '3'\nlr: '1e-3'\nflag: 'true'\nlimit: '7'\n", "t.yaml"), "trainer");
  EXPECT_EQ(options.epochs, 3);
  EXPECT_EQ(options.lr, 1e-3);
  EXPECT_TRUE(options.flag);
  EXPECT_EQ(options.limit, 7);
  const auto error_of = [](const std::string& yaml) {
    return testing::message_of<ConfigError>(
        [&] { decode_options<TypedOptions>(parse_yaml(yaml, "t.yaml"), "trainer"); });
  };
  EXPECT_EQ(error_of("epochs: '2.5'\n"),
            "t.yaml:1:9: trainer.epochs: expected an int, got string '2.5' (for example "
            "1)");
  EXPECT_EQ(error_of("lr: abc\n"),
            "t.yaml:1:5: trainer.lr: expected a number, got string 'abc' (for example "
            "0.1)");
  // `trainer.lr=` on the command line gives an empty string, as in Hydra.
  EXPECT_EQ(error_of("lr: ''\n"),
            "t.yaml:1:5: trainer.lr: expected a number, got an empty value (for example "
            "0.1)");
  // An option whose default is null has no example to give.
  EXPECT_EQ(error_of("limit: x\n"),
            "t.yaml:1:8: trainer.limit: expected an int or null, got string 'x'");
  EXPECT_EQ(
      error_of("flag: '1'\n"),
      "t.yaml:1:7: trainer.flag: expected a bool (true or false), got string '1' (for example "
      "false)");
}

TEST(Options, EncodeRoundTripsThroughYaml) {
  ToyOptions options;
  options.limit = 3;
  options.rate = 1e-8;
  ConfigNode encoded = encode_options(options);
  ConfigNode reread = parse_yaml(to_yaml(encoded), "again");
  EXPECT_EQ(encoded, reread);
  auto decoded = decode_options<ToyOptions>(reread, "");
  EXPECT_EQ(*decoded.limit, 3);
  EXPECT_EQ(decoded.rate, 1e-8);
}

TEST(Registry, BuildsListsAndRejectsUnknownNames) {
  auto& registry = toy_registry();
  EXPECT_TRUE(registry.contains("toy_a"));
  auto toy = registry.at("toy_a").make(parse_yaml("name: toy_a\nrate: 0.25\n", "t"), 7);
  EXPECT_EQ(toy->context, 7);
  EXPECT_EQ(toy->options.rate, 0.25);
  EXPECT_EQ(
      testing::message_of<RegistryError>([&] { registry.at("toy_b", "t.yaml:3:9: toy.name"); }),
      "t.yaml:3:9: toy.name: unknown toy 'toy_b' (did you mean 'toy_a'? known: toy_a)");
  bool listed = false;
  for (const auto& [kind, plugins] : RegistryCatalog::instance().all())
    if (kind == "toy") listed = plugins.size() == 1 && plugins[0].description == "first toy";
  EXPECT_TRUE(listed);
  ConfigNode defaults = registry.at("toy_a").info.defaults();
  EXPECT_EQ(defaults.get("name")->as_string(), "toy_a");
  EXPECT_EQ(defaults.get("activation")->as_string(), "relu");
}

TEST(Registry, MakesThePluginASectionNames) {
  auto& registry = toy_registry();
  auto toy = registry.make_named(parse_yaml("name: toy_a\nrate: 0.25\n", "t.yaml"), "toy", 3);
  EXPECT_EQ(toy->context, 3);
  EXPECT_EQ(toy->options.rate, 0.25);
  EXPECT_EQ(testing::message_of<RegistryError>(
                [&] { registry.make_named(parse_yaml("name: toy_b\n", "t.yaml"), "toy", 3); }),
            "t.yaml:1:7: toy.name: unknown toy 'toy_b' (did you mean 'toy_a'? known: toy_a)");
  for (const char* nameless : {"rate: 0.25\n", "[toy_a]\n"})
    EXPECT_EQ(testing::message_of<ConfigError>(
                  [&] { registry.make_named(parse_yaml(nameless, "t.yaml"), "toy", 3); }),
              "t.yaml:1:1: toy.name: missing (choose one with toy=NAME)")
        << nameless;
  EXPECT_EQ(testing::message_of<ConfigError>(
                [&] { registry.make_named(parse_yaml("name: [toy_a]\n", "t.yaml"), "toy", 3); }),
            "t.yaml:1:7: toy.name: expected the name of a registered toy, got list '[toy_a]' "
            "(known: toy_a)");
}

TEST(Registry, ANameRegisteredTwiceIsRecordedAsAProblem) {
  const auto before = RegistryCatalog::instance().problems().size();
  static Registry<Toy, int> twice("toy_twice");
  twice.add<Toy, ToyOptions>("same");
  EXPECT_EQ(RegistryCatalog::instance().problems().size(), before);
  twice.add<Toy, ToyOptions>("same");
  ASSERT_EQ(RegistryCatalog::instance().problems().size(), before + 1);
  EXPECT_EQ(RegistryCatalog::instance().problems().back(),
            "toy_twice 'same' is registered twice; the second registration replaced the first "
            "(rename one of the plugins)");
}

TEST(Yaml, TypesScalarsAndKeepsQuotedStrings) {
  ConfigNode node = parse_yaml("a: 1\nb: '1'\nc: 1e-3\nd: .inf\ne: null\nf: [x, 2]\n", "t");
  EXPECT_EQ(node.get("a")->kind(), ConfigNode::Kind::kInt);
  EXPECT_EQ(node.get("b")->kind(), ConfigNode::Kind::kString);
  EXPECT_EQ(node.get("c")->kind(), ConfigNode::Kind::kFloat);
  EXPECT_TRUE(std::isinf(node.get("d")->as_float()));
  EXPECT_TRUE(node.get("e")->is_null());
  EXPECT_EQ(parse_yaml(to_yaml(node), "again"), node);
  EXPECT_THROW(parse_yaml("a: 1\na: 2\n", "dup"), ConfigError);
}

TEST(Strings, SplitKeepsEmptyPartsAndJoinUndoesIt) {
  EXPECT_EQ(split("a..b", '.'), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
  EXPECT_EQ(split("test/sse", '/'), (std::vector<std::string>{"test", "sse"}));
  EXPECT_EQ(join(split("x,,y,", ','), ","), "x,,y,");
}

TEST(Yaml, StringsThatLookLikeHugeFloatsStayStrings) {
  // A hex run id of digits and one 'e' reads as a float far out of range.
  ConfigNode node = ConfigNode::map();
  node.set("run_id", ConfigNode::string("5e3210987654"));
  node.set("tiny", ConfigNode::string("1e-99999"));
  ConfigNode again = parse_yaml(to_yaml(node), "again");
  EXPECT_EQ(again.get("run_id")->as_string(), "5e3210987654");
  EXPECT_EQ(again.get("tiny")->as_string(), "1e-99999");
  EXPECT_TRUE(std::isinf(parse_yaml("x: 1e999999\n", "t").get("x")->as_float()));
}

}  // namespace
}  // namespace aelab
