// Hydra's lexer, for one override: positions, words, quoted strings and typed scalars.
#include "framework/config/override_scanner.h"

#include <cctype>
#include <cstdio>
#include <vector>

#include "framework/core/error.h"
#include "framework/core/yaml_io.h"

namespace aelab {

void OverrideScanner::fail(const std::string& what) const {
  throw ConfigError(SourceMark{text_, 0, 0}.describe() + ": " + what + " at column " +
                    std::to_string(pos_ + 1) + quote_hint());
}

std::string OverrideScanner::quote_hint() const {
  // An '=' inside a value (`[--account=lab]`, `a=b`): Hydra reads it only in quotes. Each
  // unquoted word of the value that holds one is quoted in the override shown.
  const size_t key_end = text_.find('=');
  if (at_end() || peek() != '=' || key_end == std::string::npos || key_end >= pos_) return "";
  std::string fixed = text_.substr(0, key_end + 1);
  int braces = 0;  // ':' parts a dict's key from its value, and is part of a word elsewhere
  for (size_t start = key_end + 1; start <= text_.size();) {
    size_t end = start;
    while (end < text_.size() && std::string("[](),{}").find(text_[end]) == std::string::npos &&
           !(braces > 0 && text_[end] == ':'))
      ++end;
    std::string word = text_.substr(start, end - start);
    const size_t first = word.find_first_not_of(" \t"), last = word.find_last_not_of(" \t");
    if (first != std::string::npos && word.find('=') != std::string::npos &&
        word.find_first_of("\"'") == std::string::npos) {
      word = word.substr(0, first) + '"' + word.substr(first, last + 1 - first) + '"' +
             word.substr(last + 1);
    }
    fixed += word;
    if (end < text_.size()) {
      fixed += text_[end];
      braces += text_[end] == '{' ? 1 : text_[end] == '}' ? -1 : 0;
    }
    start = end + 1;
  }
  return " (a value that holds '=' is quoted: write '" + fixed +
         "', in single quotes on a command line)";
}

std::string OverrideScanner::shown_character() const {
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

void OverrideScanner::skip_spaces() {
  while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
}

bool OverrideScanner::consume(const std::string& token) {
  if (text_.compare(pos_, token.size(), token) != 0) return false;
  pos_ += token.size();
  return true;
}

void OverrideScanner::expect(char c) {
  skip_spaces();
  if (peek() != c) {
    fail(std::string("expected '") + c + "'" +
         (at_end() ? " before the end" : ", got '" + shown_character() + "'"));
  }
  ++pos_;
}

OverrideWord OverrideScanner::parse_word(bool stop_at_colon) {
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
  while (last > first && (out[last - 1] == ' ' || out[last - 1] == '\t') && !kept[last - 1]) --last;
  return {out.substr(first, last - first), escaped};
}

ConfigNode OverrideScanner::parse_quoted() {
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

ConfigNode hydra_typed_scalar(const OverrideWord& word) {
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

std::string hydra_dict_key(const OverrideWord& word) {
  ConfigNode typed = hydra_typed_scalar(word);
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

}  // namespace aelab
