// Plugin options declared once: `visit(v)` lists each field with its name, doc and constraint,
// and that one list drives decoding from the config, unknown-key errors, the YAML written
// back into results and `run_sweep --list`.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "framework/core/config_node.h"
#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {

/// A bound as the option's type writes it: `1` for a count, `1.0` for a rate.
template <class T>
std::string bound_text(double bound) {
  if constexpr (std::is_integral_v<T>)
    return std::to_string(static_cast<long long>(bound));
  else
    return format_float(bound);
}

/// No constraint beyond the type.
struct AnyValue {
  template <class T>
  std::string violation(const T&) const {
    return "";
  }
};

/// A number at least `minimum`.
struct AtLeast {
  double minimum;
  template <class T>
  std::string violation(const T& value) const {
    if (std::isnan(static_cast<double>(value))) return "a finite number";
    return static_cast<double>(value) >= minimum ? "" : "a value >= " + bound_text<T>(minimum);
  }
  template <class T>
  std::string violation(const std::optional<T>& value) const {
    return value ? violation(*value) : "";
  }
  std::string violation(const std::vector<int64_t>& values) const {
    for (auto v : values)
      if (!violation(v).empty()) return "values >= " + bound_text<int64_t>(minimum);
    return "";
  }
};

/// A list of one value or more, each at least `minimum` (a conv stack's channels: it has at
/// least one stage).
struct SomeAtLeast {
  int64_t minimum;
  std::string violation(const std::vector<int64_t>& values) const {
    const std::string wanted = "one value or more, each >= " + std::to_string(minimum);
    if (values.empty()) return wanted;
    for (auto v : values)
      if (v < minimum) return wanted;
    return "";
  }
};

/// A number above `minimum` (a rate that must not be 0).
struct Above {
  double minimum;
  template <class T>
  std::string violation(const T& value) const {
    if (std::isnan(static_cast<double>(value))) return "a finite number";
    return static_cast<double>(value) > minimum ? "" : "a value > " + bound_text<T>(minimum);
  }
};

/// A number in [minimum, maximum].
struct Between {
  double minimum, maximum;
  template <class T>
  std::string violation(const T& value) const {
    double v = static_cast<double>(value);
    if (std::isnan(v)) return "a finite number";
    return v >= minimum && v <= maximum
               ? ""
               : "a value in [" + bound_text<T>(minimum) + ", " + bound_text<T>(maximum) + "]";
  }
};

/// An odd whole number at least `minimum` (kernel sizes that keep an image centred).
struct OddAtLeast {
  int64_t minimum;
  std::string violation(int64_t value) const {
    return value >= minimum && value % 2 != 0 ? "" : "an odd value >= " + std::to_string(minimum);
  }
};

/// A string among a fixed set.
struct OneOf {
  std::vector<std::string> choices;
  std::string violation(const std::string& value) const {
    for (const auto& choice : choices)
      if (choice == value) return "";
    return "one of " + join(choices, ", ");
  }
  /// Each of a list among the set.
  std::string violation(const std::vector<std::string>& values) const {
    for (const auto& value : values)
      if (!violation(value).empty()) return "a list of " + join(choices, ", ");
    return "";
  }
};

/// What to add to a constraint's error: for a string of a fixed set, the choice it misspells.
template <class Constraint, class T>
std::string violation_hint(const Constraint&, const T&) {
  return "";
}
inline std::string violation_hint(const OneOf& one_of, const std::string& value) {
  const std::string close = closest_match(value, one_of.choices);
  return close.empty() ? "" : " (did you mean '" + close + "'?)";
}

/// The dotted path of the option being decoded (`trainer.phases[1]`), so options structs nested
/// in lists name their keys in full in errors.
inline std::string& decoding_path() {
  thread_local std::string path;
  return path;
}

/// Sets decoding_path() for a scope.
class DecodingPathScope {
 public:
  explicit DecodingPathScope(std::string path) : saved_(decoding_path()) {
    decoding_path() = std::move(path);
  }
  ~DecodingPathScope() { decoding_path() = saved_; }
  DecodingPathScope(const DecodingPathScope&) = delete;
  DecodingPathScope& operator=(const DecodingPathScope&) = delete;

 private:
  std::string saved_;
};

/// How a C++ field type reads from and writes to a ConfigNode.
template <class T, class Enable = void>
struct OptionCodec;

/// A visitor that accepts any option, to detect options structs.
struct OptionProbe {
  template <class... Arguments>
  void operator()(Arguments&&...) {}
};

/// True for options structs (types with a `visit(v)` member).
template <class T, class = void>
struct IsOptionsStruct : std::false_type {};
template <class T>
struct IsOptionsStruct<
    T, std::void_t<decltype(std::declval<T&>().visit(std::declval<OptionProbe&>()))>>
    : std::true_type {};

template <class Options>
Options decode_options(const ConfigNode& section, const std::string& section_path,
                       const std::string& owner = "");
template <class Options>
ConfigNode encode_options(Options options);

/// `node`, or the value its text types as when it is a string: a typed option takes the text of
/// its type, as OmegaConf's typed nodes do, since `${oc.env:VAR}` always gives a string.
ConfigNode typed_if_string(const ConfigNode& node);

template <>
struct OptionCodec<bool> {
  static const char* expected() { return "a bool (true or false)"; }
  static bool decode(const ConfigNode& given, bool& out) {
    const ConfigNode node = typed_if_string(given);
    if (node.kind() != ConfigNode::Kind::kBool) return false;
    out = node.as_bool();
    return true;
  }
  static ConfigNode encode(bool value) { return ConfigNode::boolean(value); }
};

template <>
struct OptionCodec<int64_t> {
  static const char* expected() { return "an int"; }
  static bool decode(const ConfigNode& given, int64_t& out) {
    const ConfigNode node = typed_if_string(given);
    if (node.kind() != ConfigNode::Kind::kInt) return false;
    out = node.as_int();
    return true;
  }
  static ConfigNode encode(int64_t value) { return ConfigNode::integer(value); }
};

template <>
struct OptionCodec<double> {
  static const char* expected() { return "a number"; }
  static bool decode(const ConfigNode& given, double& out) {
    const ConfigNode node = typed_if_string(given);
    if (node.kind() != ConfigNode::Kind::kInt && node.kind() != ConfigNode::Kind::kFloat)
      return false;
    out = node.as_float();
    return true;
  }
  static ConfigNode encode(double value) { return ConfigNode::real(value); }
};

template <>
struct OptionCodec<std::string> {
  static const char* expected() { return "a string"; }
  /// Numbers are taken as written: an unquoted run id of digits (`455751741547`) or with one
  /// `e` (`5e3210987654`) types as a number. Bools and null are refused: `true` for a name is
  /// more likely a mistake than a name.
  static bool decode(const ConfigNode& node, std::string& out) {
    if (node.kind() == ConfigNode::Kind::kString) {
      out = node.as_string();
      return true;
    }
    if (node.kind() != ConfigNode::Kind::kInt && node.kind() != ConfigNode::Kind::kFloat)
      return false;
    out = node.as_written();
    return true;
  }
  static ConfigNode encode(const std::string& value) { return ConfigNode::string(value); }
};

template <class T>
struct OptionCodec<std::optional<T>> {
  static std::string expected() { return std::string(OptionCodec<T>::expected()) + " or null"; }
  static bool decode(const ConfigNode& node, std::optional<T>& out) {
    if (node.is_null()) {
      out.reset();
      return true;
    }
    T value;
    if (!OptionCodec<T>::decode(node, value)) return false;
    out = value;
    return true;
  }
  static ConfigNode encode(const std::optional<T>& value) {
    return value ? OptionCodec<T>::encode(*value) : ConfigNode::null();
  }
};

/// "an int" -> "ints", "a bool (true or false)" -> "bools (true or false)".
std::string plural_of(const std::string& expected);

template <class T>
struct OptionCodec<std::vector<T>> {
  static std::string expected() { return "a list of " + plural_of(OptionCodec<T>::expected()); }
  static bool decode(const ConfigNode& node, std::vector<T>& out) {
    if (!node.is_list()) return false;
    std::vector<T> values;
    const std::string list_path = decoding_path();
    for (const auto& item : node.items()) {
      DecodingPathScope scope(list_path + "[" + std::to_string(values.size()) + "]");
      T value;
      if (!OptionCodec<T>::decode(item, value)) return false;
      values.push_back(value);
    }
    out = values;
    return true;
  }
  static ConfigNode encode(const std::vector<T>& values) {
    ConfigNode list = ConfigNode::list();
    for (const auto& value : values) list.items().push_back(OptionCodec<T>::encode(value));
    return list;
  }
};

/// A nested options struct (list entries such as `trainer.phases`), read as a mapping whose keys
/// are its options.
template <class T>
struct OptionCodec<T, std::enable_if_t<IsOptionsStruct<T>::value>> {
  static const char* expected() { return "a mapping"; }
  static bool decode(const ConfigNode& node, T& out) {
    if (!node.is_map()) return false;
    out = decode_options<T>(node, decoding_path(), "");
    return true;
  }
  static ConfigNode encode(const T& value) { return encode_options(value); }
};

/// Prefix for an error about `node` at `dotted_key`: "file:line:col: key".
std::string located(const ConfigNode& node, const std::string& dotted_key);

/// "file:line:col: key: expected a number, got an empty value (for example 0.001)":
/// a value of the wrong type, with the option's built-in default as an example of the right type.
std::string mismatch_message(const ConfigNode& node, const std::string& dotted_key,
                             const std::string& expected, const ConfigNode& default_value);

/// " (for example 0.1, the default)": an option's built-in value, as the fix for a value out of
/// its range, with what it means where the option's `doc` says (`(0: never)`: " (for example 0,
/// the default: never)"); empty where there is none to show (null, an empty string or list).
std::string example_of(const ConfigNode& default_value, const std::string& doc = "");

/// Visitor that fills an options struct from a config section and rejects unknown keys.
class OptionReader {
 public:
  /// `section_path` is the dotted path of the section (`encoder`); `reserved` keys (the
  /// plugin's `name`) belong to the section but not to the options.
  /// `owner` names the plugin in messages (`encoder 'mlp'`).
  OptionReader(const ConfigNode& section, std::string section_path, std::string owner = "",
               std::vector<std::string> reserved = {"name"});

  template <class T, class Constraint = AnyValue>
  void operator()(const char* name, T& field, const char* doc, const Constraint& constraint = {}) {
    known_.push_back(name);
    const ConfigNode* node = section_.is_map() ? section_.get(name) : nullptr;
    if (!node) return;
    DecodingPathScope scope(key(name));
    const T built_in = field;
    if (!OptionCodec<T>::decode(*node, field)) {
      throw ConfigError(mismatch_message(*node, key(name), OptionCodec<T>::expected(),
                                         OptionCodec<T>::encode(built_in)));
    }
    std::string violation = constraint.violation(field);
    if (!violation.empty()) {
      std::string hint = violation_hint(constraint, field);
      // A fixed set of names is its own fix; a number out of range gets one in range.
      if (hint.empty() && !std::is_same_v<Constraint, OneOf> &&
          constraint.violation(built_in).empty())
        hint = example_of(OptionCodec<T>::encode(built_in), doc);
      throw ConfigError(located(*node, key(name)) + ": expected " + violation + ", got '" +
                        node->text() + "'" + hint);
    }
  }

  /// Throws ConfigError naming the first key that no option declared.
  void reject_unknown_keys() const;

 private:
  std::string key(const std::string& name) const;
  const ConfigNode& section_;
  std::string section_path_;
  std::string owner_;
  std::vector<std::string> reserved_;
  std::vector<std::string> known_;
};

/// Visitor that writes an options struct as a config map.
class OptionWriter {
 public:
  template <class T, class Constraint = AnyValue>
  void operator()(const char* name, const T& field, const char*, const Constraint& = {}) {
    out.set(name, OptionCodec<T>::encode(field));
  }
  ConfigNode out = ConfigNode::map();
};

/// One option as `run_sweep --list` shows it.
struct OptionDoc {
  std::string name, default_value, doc;
};

/// Visitor that collects name, default and doc of each option.
class OptionDescriber {
 public:
  template <class T, class Constraint = AnyValue>
  void operator()(const char* name, const T& field, const char* doc, const Constraint& = {}) {
    docs.push_back({name, OptionCodec<T>::encode(field).text(), doc});
  }
  std::vector<OptionDoc> docs;
};

/// The options of a plugin that has none.
struct NoOptions {
  template <class V>
  void visit(V&) {}
};

/// Options decoded from `section`, defaults for absent keys; unknown keys are errors.
template <class Options>
Options decode_options(const ConfigNode& section, const std::string& section_path,
                       const std::string& owner) {
  Options options;
  OptionReader reader(section, section_path, owner);
  options.visit(reader);
  reader.reject_unknown_keys();
  return options;
}

/// The options as a config map (what results record).
template <class Options>
ConfigNode encode_options(Options options) {
  OptionWriter writer;
  options.visit(writer);
  return writer.out;
}

/// Name, default and doc of every option of a struct.
template <class Options>
std::vector<OptionDoc> describe_options() {
  Options options;
  OptionDescriber describer;
  options.visit(describer);
  return describer.docs;
}

}  // namespace aelab
