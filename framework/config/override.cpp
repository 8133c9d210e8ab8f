// Recursive-descent parser for Hydra's override grammar.
#include "framework/config/override.h"

#include <cstdio>

#include "framework/config/override_functions.h"
#include "framework/config/python_values.h"
#include "framework/core/error.h"
#include "framework/core/yaml_io.h"

namespace aelab {
namespace {

class OverrideParser {
 public:
  explicit OverrideParser(const std::string& text) : text_(text) {}

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
  [[noreturn]] void fail(const std::string& what) const {
    throw ConfigError(SourceMark{text_, 0, 0}.describe() + ": " + what + " at column " +
                      std::to_string(pos_ + 1));
  }
  /// The character at the parser's position as a message can show it: a whole UTF-8 character,
  /// or `\xNN` for a control or stray byte.
  std::string shown_character() const {
    const auto byte = static_cast<unsigned char>(peek());
    size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    bool whole = pos_ + length <= text_.size();
    for (size_t i = 1; whole && i < length; ++i)
      whole = (static_cast<unsigned char>(text_[pos_ + i]) & 0xC0) == 0x80;
    if (byte >= 0x20 && byte < 0x7F) return std::string(1, static_cast<char>(byte));
    if (byte >= 0xC0 && whole) return text_.substr(pos_, length);
    char escaped[8];
    std::snprintf(escaped, sizeof(escaped), "\\x%02X", byte);
    return escaped;
  }

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
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_spaces() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool consume(const std::string& token) {
    if (text_.compare(pos_, token.size(), token) != 0) return false;
    pos_ += token.size();
    return true;
  }
  void expect(char c) {
    skip_spaces();
    if (peek() != c) {
      fail(std::string("expected '") + c + "'" +
           (at_end() ? " before the end" : ", got '" + shown_character() + "'"));
    }
    ++pos_;
  }

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
    Word read = parse_word(/*stop_at_colon=*/false);
    const std::string& word = read.text;
    skip_spaces();
    if (peek() == '(' && is_function_name(word)) return parse_function(word, start);
    if (in_function && peek() == '=' && is_function_name(word)) {
      ++pos_;
      ParsedElement named = parse_element(true);
      named.name = word;
      return named;
    }
    if (word.empty() && !read.escaped) fail("expected a value");
    out.value = hydra_scalar(read);
    return out;
  }

  /// An unquoted word, and whether it held an escape (then it is a string, never a number).
  struct Word {
    std::string text;
    bool escaped = false;
  };

  /// Unquoted text up to a grammar character; `${...}` interpolations are kept whole. As in
  /// Hydra, a backslash escapes only `\ ( ) [ ] { } : = ,`, a space and a tab (`c:\foo` keeps its
  /// backslash), and escaped spaces survive the trimming of the word.
  Word parse_word(bool stop_at_colon) {
    static const std::string kEscapable = "\\()[]{}:=, \t";
    std::string out;
    std::vector<bool> kept;  // per character: an escaped one, not trimmed
    int interpolation_depth = 0;
    bool escaped = false;
    while (!at_end()) {
      char c = peek();
      if (c == '$' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
        ++interpolation_depth;
        out += "${";
        pos_ += 2;
        continue;
      }
      if (interpolation_depth > 0) {
        if (c == '}') --interpolation_depth;
        out += c;
        kept.push_back(false);
        ++pos_;
        continue;
      }
      if (c == '\\' && pos_ + 1 < text_.size() &&
          kEscapable.find(text_[pos_ + 1]) != std::string::npos) {
        out += text_[pos_ + 1];
        kept.push_back(true);
        escaped = true;
        pos_ += 2;
        continue;
      }
      if (std::string(",[]{}()='\"").find(c) != std::string::npos) break;
      if (stop_at_colon && c == ':') break;
      out += c;
      kept.push_back(false);
      ++pos_;
    }
    if (interpolation_depth > 0) fail("unterminated interpolation '${'");
    size_t first = 0, last = out.size();
    while (first < last && (out[first] == ' ' || out[first] == '\t') && !kept[first]) ++first;
    while (last > first && (out[last - 1] == ' ' || out[last - 1] == '\t') && !kept[last - 1])
      --last;
    return {out.substr(first, last - first), escaped};
  }

  /// A scalar as Hydra types it: escaped text is a string, and so is a number with underscores
  /// that are not single separators between digits (`1___0___`).
  static ConfigNode hydra_scalar(const Word& word) {
    if (word.escaped) return ConfigNode::string(word.text);
    const std::string& text = word.text;
    if (text.find('_') != std::string::npos) {
      for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '_' && (i == 0 || i + 1 == text.size() || !std::isdigit(text[i - 1]) ||
                               !std::isdigit(text[i + 1])))
          return ConfigNode::string(text);
    }
    return typed_scalar(text);
  }

  ConfigNode parse_quoted() {
    char quote = peek();
    size_t start = pos_++;
    std::string out;
    // As in Hydra, backslashes escape only the quote and the backslashes just before a quote:
    // `'a\'b'` is a'b, `'a\\'` is a\, and `'c:\\x'` keeps both backslashes.
    while (!at_end() && peek() != quote) {
      if (peek() == '\\') {
        size_t run = 0;
        while (pos_ + run < text_.size() && text_[pos_ + run] == '\\') ++run;
        if (pos_ + run < text_.size() && text_[pos_ + run] == quote) {
          out.append(run / 2, '\\');
          pos_ += run;
          if (run % 2 == 1) out += text_[pos_++];  // an escaped quote
          continue;
        }
        out.append(run, '\\');
        pos_ += run;
        continue;
      }
      out += text_[pos_++];
    }
    if (at_end()) {
      pos_ = start;
      fail(std::string("unterminated quoted string (close it with ") + quote + ")");
    }
    ++pos_;
    return ConfigNode::string(out);
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
      std::string key = dict_key(parse_word(/*stop_at_colon=*/true));
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

  /// A dict key as Hydra reads it: a number, bool or null key in its canonical form
  /// (`1e3` is 1000.0, `fAlSe` is false), anything else as written.
  static std::string dict_key(const Word& word) {
    ConfigNode typed = hydra_scalar(word);
    switch (typed.kind()) {
      case ConfigNode::Kind::kFloat:
        return format_float(typed.as_float());
      case ConfigNode::Kind::kBool:
        return typed.as_bool() ? "true" : "false";
      case ConfigNode::Kind::kNull:
        return "null";
      case ConfigNode::Kind::kInt:
        return std::to_string(typed.as_int());
      default:
        return word.text;
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
    Word read = parse_word(false);
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
    if (word.empty() && !read.escaped) fail("expected a value");
    return hydra_scalar(read);
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

  std::string text_;
  size_t pos_ = 0;
  int nesting_ = 0;  ///< open `[`, `{` and `(` around the parser's position
};

}  // namespace

SourceMark Override::mark() const {
  return origin.origin.empty() ? SourceMark{text, 0, 0} : origin;
}

Override parse_override(const std::string& text) { return OverrideParser(text).parse(); }

}  // namespace aelab
