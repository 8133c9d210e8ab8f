// Recursive-descent parser for Hydra's override grammar, on the tokens of override_scanner.h.
#include "framework/config/override.h"

#include "framework/config/override_functions.h"
#include "framework/config/override_scanner.h"
#include "framework/config/python_values.h"

namespace aelab {
namespace {

class OverrideParser : OverrideScanner {
 public:
  explicit OverrideParser(const std::string& text) : OverrideScanner(text) {}

  Override parse() {
    Override out;
    out.text = text_;
    if (consume("++"))
      out.op = Override::Op::kForceAdd;
    else if (consume("+"))
      out.op = Override::Op::kAdd;
    else if (consume("~"))
      out.op = Override::Op::kDelete;
    out.key = parse_key();
    if (peek() == '@') {  // key@package: Hydra's package of a config group
      ++pos_;
      static const std::string kPackageChars =
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-$";
      size_t start = pos_;
      while (!at_end() && kPackageChars.find(peek()) != std::string::npos) ++pos_;
      out.package = text_.substr(start, pos_ - start);
    }
    // As Hydra's lexer: no space in the key part (`seed = 3`); one may follow the '='.
    if (peek() == ' ' || peek() == '\t') {
      const size_t next = text_.find_first_not_of(" \t", pos_);
      std::string fixed = text_.substr(0, pos_);  // `~seed `: the override without the space
      if (next != std::string::npos && text_[next] == '=') {
        const size_t value = text_.find_first_not_of(" \t", next + 1);
        fixed += "=" + (value == std::string::npos ? "" : text_.substr(value));
      }
      if (next == std::string::npos || text_[next] == '=')
        fail("a space after the key '" + out.key + "' (Hydra takes none there: write '" + fixed +
             "')");
      fail("unexpected space after the key '" + out.key + "'");
    }
    if (at_end()) {
      if (out.op != Override::Op::kDelete)
        fail("expected '=' after the key (write " + out.key + "=VALUE)");
      return out;
    }
    expect('=');
    out.has_value = true;
    parse_value(out);
    skip_spaces();
    if (!at_end()) fail("unexpected '" + shown_character() + "'");
    return out;
  }

 private:
  /// `range`, `choice`, `int`: lower-case letters and underscores.
  static bool is_function_name(const std::string& word) {
    return !word.empty() &&
           word.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
  }
  /// Counts one more level of `[` or `{` for its scope; brackets nested deeper than any config
  /// needs are an error rather than a recursion without bound.
  class Nesting {
   public:
    explicit Nesting(OverrideParser& parser) : parser_(parser) {
      if (++parser_.nesting_ > kMaxNesting)
        parser_.fail("lists and dicts nested more than " + std::to_string(kMaxNesting) +
                     " levels deep");
    }
    ~Nesting() { --parser_.nesting_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    OverrideParser& parser_;
  };
  static constexpr int kMaxNesting = 64;

  std::string parse_key() {
    static const std::string kKeyChars =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/$";
    size_t start = pos_;
    while (!at_end() && kKeyChars.find(peek()) != std::string::npos) ++pos_;
    std::string key = text_.substr(start, pos_ - start);
    if (key.empty()) fail("expected a key such as model.latent_dim");
    if (key.front() == '.' || key.back() == '.' || key.find("..") != std::string::npos)
      fail("malformed key '" + key + "'");
    if (key.find('/') != std::string::npos && key.find('$') != std::string::npos)
      fail("a config group path cannot hold '$' ('" + key + "')");
    return key;
  }

  void parse_value(Override& out) {
    const bool blank = !at_end();
    skip_spaces();
    if (at_end()) {
      if (blank) fail("the value is only whitespace (write key= for an empty string)");
      out.value = ConfigNode::string("");
      return;
    }
    std::vector<ParsedElement> elements;
    const size_t start = pos_;
    elements.push_back(parse_element(/*in_function=*/false));
    skip_spaces();
    while (peek() == ',') {
      ++pos_;
      elements.push_back(parse_element(false));
      skip_spaces();
    }
    ParsedElement value = elements[0];
    if (elements.size() > 1) {
      for (const auto& element : elements)
        if (element.sweep) {
          pos_ = start;
          fail("a sweep function cannot be part of a comma-separated sweep");
        }
      value = simple_sweep(elements);
    }
    if (!value.sweep) {
      out.value = value.value;
      return;
    }
    out.is_sweep = true;
    out.values = value.values;
    out.glob = value.glob;
    out.sweep_kind = value.kind;
    out.tags.assign(value.tags.begin(), value.tags.end());
    out.shuffled = value.shuffled;
    out.interval = value.interval;
  }

  ParsedElement parse_element(bool in_function) {
    skip_spaces();
    char c = peek();
    ParsedElement out;
    if (c == '[') {
      out.value = parse_list();
      return out;
    }
    if (c == '{') {
      out.value = parse_dict();
      return out;
    }
    if (c == '\'' || c == '"') {
      out.value = parse_quoted();
      return out;
    }
    size_t start = pos_;
    OverrideWord read = parse_word(/*stop_at_colon=*/false);
    const std::string& word = read.text;
    skip_spaces();
    if (peek() == '(' && is_function_name(word)) return parse_function(word, start);
    if (in_function && peek() == '=' && is_function_name(word)) {
      ++pos_;
      ParsedElement named = parse_element(true);
      named.name = word;
      return named;
    }
    if (word.empty() && !read.escaped) fail(missing_value());
    out.value = hydra_typed_scalar(read);
    return out;
  }

  ConfigNode parse_list() {
    Nesting nesting(*this);
    expect('[');
    ConfigNode list = ConfigNode::list();
    skip_spaces();
    if (peek() == ']') {
      ++pos_;
      return list;
    }
    while (true) {
      list.items().push_back(parse_plain_element());
      skip_spaces();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']');
      return list;
    }
  }

  ConfigNode parse_dict() {
    Nesting nesting(*this);
    expect('{');
    ConfigNode dict = ConfigNode::map();
    skip_spaces();
    if (peek() == '}') {
      ++pos_;
      return dict;
    }
    while (true) {
      skip_spaces();
      if (peek() == '\'' || peek() == '"')
        fail(
            "dict keys are not quoted in Hydra's grammar; escape special characters with a "
            "backslash instead ({a\\,b: 1})");
      std::string key = hydra_dict_key(parse_word(/*stop_at_colon=*/true));
      if (key.empty()) fail("expected a dict key");
      expect(':');
      if (dict.get(key)) fail("duplicate dict key '" + key + "'");
      dict.set(key, parse_plain_element());
      skip_spaces();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      return dict;
    }
  }

  /// A list item or dict value: any element but a sweep.
  ConfigNode parse_plain_element() {
    skip_spaces();
    char c = peek();
    if (c == '[') return parse_list();
    if (c == '{') return parse_dict();
    if (c == '\'' || c == '"') return parse_quoted();
    const size_t start = pos_;
    OverrideWord read = parse_word(false);
    const std::string& word = read.text;
    skip_spaces();
    if (peek() == '(' && is_function_name(word)) {  // a cast such as int(1.5) is a value
      ParsedElement result = parse_function(word, start);
      if (result.sweep) {
        pos_ = start;
        fail("sweeps are not allowed inside lists or dicts");
      }
      return result.value;
    }
    if (peek() == '(') fail("sweeps are not allowed inside lists or dicts");
    if (word.empty() && !read.escaped) fail(missing_value());
    return hydra_typed_scalar(read);
  }

  /// Where a value is missing, what stands there instead (a comma, a closing bracket, the end).
  std::string missing_value() const {
    const char next = peek();
    size_t before = pos_;
    while (before > 0 && text_[before - 1] == ' ') --before;
    const bool after_comma = before > 0 && text_[before - 1] == ',';
    if (next == ',') return "expected a value before this comma";
    if (after_comma && (next == ']' || next == '}' || next == ')'))
      return std::string("expected a value before '") + next + "' (a comma too many?)";
    if (after_comma && at_end()) return "expected a value after the last comma";
    return "expected a value";
  }

  ParsedElement parse_function(const std::string& name, size_t start) {
    Nesting nesting(*this);
    expect('(');
    std::vector<ParsedElement> args;
    skip_spaces();
    if (peek() != ')') {
      while (true) {
        args.push_back(parse_element(/*in_function=*/true));
        skip_spaces();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        break;
      }
    }
    expect(')');
    try {
      return call_override_function(name, args, text_);
    } catch (const ConfigError& e) {
      pos_ = start;
      fail(e.what());
    }
  }

  int nesting_ = 0;  ///< open `[`, `{` and `(` around the parser's position
};

}  // namespace

SourceMark Override::mark() const {
  return origin.origin.empty() ? SourceMark::of_override(text) : origin;
}

Override parse_override(const std::string& text) { return OverrideParser(text).parse(); }

}  // namespace aelab
