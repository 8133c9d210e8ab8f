// The config tree: typed scalars, lists and ordered maps, each node marked with where it came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aelab {

/// Where a config value was written: a file position or a command-line override.
struct SourceMark {
  std::string origin;  ///< file path, or the override text as the user typed it
  int line = 0;        ///< 1-based; 0 when the origin is not a file
  int column = 0;      ///< 1-based
  /// "file:line:col", "override 'a=b'", or "" when unknown.
  std::string describe() const;
  /// The mark of an override as typed: its text, shortened as describe() quotes it, so that the
  /// values of a long sweep do not each carry a copy of the whole sweep's text.
  static SourceMark of_override(const std::string& text);
};

/// One node of a config: null, bool, int, float, string, list or map (keys keep their order).
class ConfigNode {
 public:
  enum class Kind { kNull, kBool, kInt, kFloat, kString, kList, kMap };

  ConfigNode() = default;
  static ConfigNode null();
  static ConfigNode boolean(bool value);
  static ConfigNode integer(int64_t value);
  static ConfigNode real(double value);
  static ConfigNode string(std::string value);
  static ConfigNode list(std::vector<ConfigNode> items = {});
  static ConfigNode map();

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_map() const { return kind_ == Kind::kMap; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_scalar() const { return kind_ != Kind::kList && kind_ != Kind::kMap; }
  /// "null", "bool", "int", "float", "string", "list" or "map".
  std::string type_name() const;

  // The value of a node of that kind; Error (a bug: configs are checked before they are read)
  // for a node of another, rather than a quiet 0 or "".
  bool as_bool() const {
    expect_kind(kind_ == Kind::kBool, "a bool");
    return bool_;
  }
  int64_t as_int() const {
    expect_kind(kind_ == Kind::kInt, "an int");
    return int_;
  }
  /// The value as a float; ints convert.
  double as_float() const {
    expect_kind(kind_ == Kind::kInt || kind_ == Kind::kFloat, "a number");
    return kind_ == Kind::kInt ? static_cast<double>(int_) : float_;
  }
  const std::string& as_string() const {
    expect_kind(kind_ == Kind::kString, "a string");
    return string_;
  }
  /// A scalar as the user would write it (`1e-3`, `true`, `abc`); lists and maps in flow style.
  std::string text() const;
  /// A number exactly as it was written when it was typed from text (`455751741547`,
  /// `5e3210987654`, `1_000`), else text(). A string option given a number takes these
  /// characters, where OmegaConf would take str() of the number ("inf", "1000").
  std::string as_written() const { return written_.empty() ? text() : written_; }

  const std::vector<ConfigNode>& items() const { return items_; }
  std::vector<ConfigNode>& items() { return items_; }
  const std::vector<std::pair<std::string, ConfigNode>>& entries() const { return entries_; }
  std::vector<std::pair<std::string, ConfigNode>>& entries() { return entries_; }
  std::vector<std::string> keys() const;

  /// Direct child of a map, or nullptr.
  const ConfigNode* get(const std::string& key) const;
  ConfigNode* get(const std::string& key);
  /// Sets a direct child of a map, keeping its position when it exists.
  void set(const std::string& key, ConfigNode value);
  /// Removes a direct child; false when absent.
  bool remove(const std::string& key);

  /// Node at a dotted path (`model.latent_dim`), or nullptr.
  const ConfigNode* find(const std::string& dotted_path) const;
  ConfigNode* find(const std::string& dotted_path);

  bool operator==(const ConfigNode& other) const;
  bool operator!=(const ConfigNode& other) const { return !(*this == other); }

  SourceMark mark;

 private:
  /// Throws Error naming this node's place and type unless `matches`.
  void expect_kind(bool matches, const char* expected) const {
    if (!matches) kind_mismatch(expected);
  }
  [[noreturn]] void kind_mismatch(const char* expected) const;
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  int64_t int_ = 0;
  double float_ = 0;
  std::string string_;
  std::vector<ConfigNode> items_;
  std::vector<std::pair<std::string, ConfigNode>> entries_;
  /// Set by typed_scalar for numbers. Not part of equality: `1_000` equals `1000` as a
  /// number, though a string option takes each as written.
  std::string written_;

  friend ConfigNode typed_scalar(const std::string& text);
};

/// Splits `a.b.c` into its parts.
/// The item of `list` that `part` (`0`, `1`, ...) names in a dotted path, as OmegaConf reads
/// `encoder.hidden.0`; nullopt when `list` is no list or `part` no index of one of its items.
std::optional<size_t> list_index(const ConfigNode& list, const std::string& part);

std::vector<std::string> split_dotted(const std::string& dotted_path);

/// Types an unquoted scalar as YAML and Hydra do: null, bool, int, float (incl. inf, nan), else
/// string.
ConfigNode typed_scalar(const std::string& text);

/// Recursively merges `source` into `target`: maps merge key by key, anything else replaces.
void merge_into(ConfigNode& target, const ConfigNode& source);

/// A double as Python's repr writes it: the shortest digits that read back as the same
/// double, fixed for exponents -4 to 15 (`0.0005`, `1000000.0`), scientific beyond
/// (`1e-05`, `1e+16`); `nan`, `inf`, `-inf`.
std::string format_float(double value);

/// The text run ids and cache keys were first hashed from: the shorter of fixed and
/// scientific (`5e-04`, `1e+06`). Frozen, so that the ids of earlier runs stay.
std::string format_float_for_hashing(double value);

}  // namespace aelab
