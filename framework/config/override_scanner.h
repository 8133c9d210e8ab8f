// The characters of one override as Hydra's lexer reads them: a position with errors that name
// its column, unquoted words (escapes, `${...}` interpolations), quoted strings, and how Hydra
// types a scalar or a dict key. The grammar on top of it is in override.cpp.
#pragma once

#include <string>

#include "framework/core/config_node.h"

namespace aelab {

/// An unquoted word, and whether it held an escape (then it is a string, never a number).
struct OverrideWord {
  std::string text;
  bool escaped = false;
};

/// A position in an override's text, and the tokens read there.
class OverrideScanner {
 protected:
  explicit OverrideScanner(std::string text) : text_(std::move(text)) {}

  /// Throws ConfigError naming the override and the position's column.
  [[noreturn]] void fail(const std::string& what) const;
  /// What fail() adds where an unquoted value holds an '=' (how to quote it); "" elsewhere.
  std::string quote_hint() const;
  /// The character at the position as a message can show it: a whole UTF-8 character, or
  /// `\xNN` for a control or stray byte.
  std::string shown_character() const;
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_spaces();
  /// Moves past `token` when the text continues with it.
  bool consume(const std::string& token);
  /// Moves past `c` after any spaces, or fails.
  void expect(char c);
  /// Unquoted text up to a grammar character; `${...}` interpolations are kept whole. As in
  /// Hydra, a backslash escapes only `\ ( ) [ ] { } : = ,`, a space and a tab (`c:\foo` keeps its
  /// backslash), and escaped spaces survive the trimming of the word.
  OverrideWord parse_word(bool stop_at_colon);
  /// A quoted string; the position is at its opening quote.
  ConfigNode parse_quoted();

  std::string text_;
  size_t pos_ = 0;
};

/// A scalar as Hydra types it: escaped text is a string, and so is a number with underscores
/// that are not single separators between digits (`1___0___`).
ConfigNode hydra_typed_scalar(const OverrideWord& word);

/// A dict key as Hydra reads it: a number, bool or null key in its canonical form
/// (`1e3` is 1000.0, `fAlSe` is false), anything else as written.
std::string hydra_dict_key(const OverrideWord& word);

}  // namespace aelab
