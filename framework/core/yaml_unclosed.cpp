// A scan of YAML text for flow brackets, quotes, comments and block scalars: just enough of
// YAML's lexical rules to tell which '[', '{' or quote is left open.
#include "framework/core/yaml_unclosed.h"

#include <vector>

namespace aelab {
namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/// Whether the character after `i` ends a token: a blank, a line break or the end.
bool ends_token(const std::string& text, size_t i) {
  return i + 1 >= text.size() || blank(text[i + 1]) || text[i + 1] == '\n';
}

/// Reads a YAML text one character at a time, tracking the flow collections left open.
class FlowScanner {
 public:
  explicit FlowScanner(const std::string& text) : text_(text) {}

  /// Scans the whole text; then innermost_open() and open_quote() tell what is left open.
  FlowScanner& scan() {
    line_indent_ = indent_at(0);
    for (i_ = 0; i_ < text_.size(); ++i_) {
      if (i_ == line_start_ && !quote_ && skip_block_scalar_line()) continue;
      const char c = text_[i_];
      if (c == '\n') {
        next_line();
      } else if (quote_) {
        read_quoted(c);
      } else if (!blank(c)) {
        read(c);
      }
    }
    return *this;
  }

  std::optional<FlowOpening> innermost_open() const {
    if (open_.empty()) return std::nullopt;
    return open_.back();
  }

  std::optional<FlowOpening> open_quote() const {
    if (!quote_) return std::nullopt;
    return quote_opening_;
  }

 private:
  void next_line() {
    ++line_;
    line_start_ = i_ + 1;
    token_start_ = true;
    if (block_scalar_pending_) block_scalar_indent_ = line_indent_;
    block_scalar_pending_ = false;
    line_indent_ = indent_at(line_start_);
  }

  int indent_at(size_t start) const {
    size_t end = start;
    while (end < text_.size() && text_[end] == ' ') ++end;
    return static_cast<int>(end - start);
  }

  /// Inside a block scalar, skips a line indented past its key's line (or blank); true when it
  /// did, leaving i_ on the line break.
  bool skip_block_scalar_line() {
    if (block_scalar_indent_ < 0) return false;
    size_t end = text_.find('\n', i_);
    if (end == std::string::npos) end = text_.size();
    if (end == i_) return false;  // an empty line: its line break is read as any other
    bool empty = true;
    for (size_t j = i_; j < end; ++j) empty = empty && blank(text_[j]);
    if (!empty && line_indent_ <= block_scalar_indent_) {
      block_scalar_indent_ = -1;
      return false;
    }
    i_ = end - 1;  // the loop's ++ lands on the line break
    return true;
  }

  void read_quoted(char c) {
    if (quote_ == '"' && c == '\\') {
      if (i_ + 1 < text_.size() && text_[i_ + 1] != '\n') ++i_;
    } else if (c == quote_) {
      if (quote_ == '\'' && i_ + 1 < text_.size() && text_[i_ + 1] == '\'') {
        ++i_;  // '' is a quote inside a single-quoted scalar
      } else {
        quote_ = 0;
        token_start_ = false;
      }
    }
  }

  void read(char c) {
    const bool in_flow = !open_.empty();
    const bool after_blank = i_ == line_start_ || blank(text_[i_ - 1]);
    if (c == '#' && after_blank) {
      while (i_ + 1 < text_.size() && text_[i_ + 1] != '\n') ++i_;
    } else if ((c == '[' || c == '{') && (in_flow || token_start_)) {
      open_.push_back({line_, static_cast<int>(i_ - line_start_) + 1, c});
      token_start_ = true;
    } else if ((c == ']' || c == '}') && in_flow) {
      open_.pop_back();
      token_start_ = false;
    } else if ((c == '"' || c == '\'') && token_start_) {
      quote_ = c;
      quote_opening_ = {line_, static_cast<int>(i_ - line_start_) + 1, c};
    } else if ((c == '|' || c == '>') && token_start_ && !in_flow) {
      block_scalar_pending_ = true;
      token_start_ = false;
    } else if ((c == '&' || c == '!') && token_start_) {
      while (!ends_token(text_, i_)) ++i_;  // an anchor or a tag: the value follows
    } else if (c == ',' && in_flow) {
      token_start_ = true;
    } else if (c == ':' && (in_flow || ends_token(text_, i_))) {
      token_start_ = true;
    } else if ((c == '-' || c == '?') && token_start_ && ends_token(text_, i_)) {
      token_start_ = true;
    } else {
      token_start_ = false;
    }
  }

  const std::string& text_;
  size_t i_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
  int line_indent_ = 0;
  char quote_ = 0;
  FlowOpening quote_opening_;
  bool token_start_ = true;
  bool block_scalar_pending_ = false;
  int block_scalar_indent_ = -1;
  std::vector<FlowOpening> open_;
};

}  // namespace

std::optional<FlowOpening> unclosed_flow_opening(const std::string& text) {
  return FlowScanner(text).scan().innermost_open();
}

std::optional<FlowOpening> unclosed_quote(const std::string& text) {
  return FlowScanner(text).scan().open_quote();
}

}  // namespace aelab
