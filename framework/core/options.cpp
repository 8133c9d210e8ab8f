// Option decoding: unknown-key detection, error locations, and strings read as typed values.
#include "framework/core/options.h"

#include <algorithm>
#include <cstdint>

namespace aelab {

ConfigNode typed_if_string(const ConfigNode& node) {
  if (node.kind() != ConfigNode::Kind::kString) return node;
  ConfigNode typed = typed_scalar(node.as_string());
  typed.mark = node.mark;
  return typed;
}

std::string located(const ConfigNode& node, const std::string& dotted_key) {
  std::string where = node.mark.describe();
  return where.empty() ? dotted_key : where + ": " + dotted_key;
}

std::string plural_of(const std::string& expected) {
  std::string noun = expected;
  for (const char* article : {"a ", "an "})
    if (noun.rfind(article, 0) == 0) noun = noun.substr(std::string(article).size());
  const size_t end = noun.find(' ');
  return end == std::string::npos ? noun + "s" : noun.substr(0, end) + "s" + noun.substr(end);
}

/// Whether `node` is one value of the kind a list that is `expected` holds (`128` where a list
/// of ints goes): the list of it is what was meant.
static bool list_of_one(const ConfigNode& node, const std::string& expected) {
  const std::string prefix = "a list of ";
  if (expected.rfind(prefix, 0) != 0 || !node.is_scalar() || node.is_null()) return false;
  const std::string items = expected.substr(prefix.size());
  using Kind = ConfigNode::Kind;
  const Kind kind = node.kind();
  if (items.rfind("ints", 0) == 0) return kind == Kind::kInt;
  if (items.rfind("numbers", 0) == 0) return kind == Kind::kInt || kind == Kind::kFloat;
  if (items.rfind("strings", 0) == 0)  // one that an override list takes unquoted
    return kind == Kind::kString && !node.as_string().empty() &&
           node.as_string().find_first_of("=,:[]{}()'\" \t") == std::string::npos;
  return false;
}

std::string mismatch_message(const ConfigNode& node, const std::string& dotted_key,
                             const std::string& expected, const ConfigNode& default_value) {
  const bool empty = node.kind() == ConfigNode::Kind::kString && node.as_string().empty();
  const std::string written = node.is_scalar() ? node.as_written() : "";
  if (node.kind() == ConfigNode::Kind::kFloat && expected.find("int") != std::string::npos &&
      !written.empty() &&
      written.find_first_not_of("0123456789_", written[0] == '-' || written[0] == '+') ==
          std::string::npos)  // digits alone, which a 64-bit int does not hold
    return located(node, dotted_key) + ": expected " + expected + ", got " + written +
           ", outside the range of an int (" + std::to_string(INT64_MIN) + " to " +
           std::to_string(INT64_MAX) + ")";
  std::string message = located(node, dotted_key) + ": expected " + expected + ", got " +
                        (empty            ? "an empty value"
                         : node.is_null() ? "null"
                                          : node.type_name() + " '" + node.text() + "'");
  const bool one_string = expected.rfind("a list of strings", 0) == 0 &&
                          node.kind() == ConfigNode::Kind::kString && !node.as_string().empty() &&
                          node.as_string().find_first_of("'\"\\") == std::string::npos;
  if (list_of_one(node, expected))
    message += " (a list, even of one value: " + dotted_key + "=[" + node.text() + "])";
  else if (one_string)  // quoted in the list, and the override quoted for the shell
    message += " (a list, even of one value: '" + dotted_key + "=[\"" + node.as_string() + "\"]')";
  else if (!default_value.is_null())
    message += " (for example " + default_value.text() + ")";
  return message;
}

std::string example_of(const ConfigNode& default_value, const std::string& doc) {
  const bool empty =
      default_value.is_null() ||
      (default_value.kind() == ConfigNode::Kind::kString && default_value.as_string().empty()) ||
      (default_value.is_list() && default_value.items().empty()) ||
      (default_value.is_map() && default_value.entries().empty());
  if (empty) return "";
  const std::string value = default_value.text();
  // A value the doc gives a meaning to, as in "every N epochs (0: never)".
  std::string meaning;
  if (const size_t at = doc.find("(" + value + ": "); at != std::string::npos) {
    const size_t from = at + value.size() + 3;
    const size_t to = doc.find(')', from);
    if (to != std::string::npos) meaning = ": " + doc.substr(from, to - from);
  }
  return " (for example " + value + ", the default" + meaning + ")";
}

OptionReader::OptionReader(const ConfigNode& section, std::string section_path, std::string owner,
                           std::vector<std::string> reserved)
    : section_(section),
      section_path_(std::move(section_path)),
      owner_(std::move(owner)),
      reserved_(std::move(reserved)) {}

std::string OptionReader::key(const std::string& name) const {
  return section_path_.empty() ? name : section_path_ + "." + name;
}

void OptionReader::reject_unknown_keys() const {
  if (!section_.is_map()) return;
  for (const auto& [name, value] : section_.entries()) {
    bool declared = std::find(known_.begin(), known_.end(), name) != known_.end() ||
                    std::find(reserved_.begin(), reserved_.end(), name) != reserved_.end();
    if (!declared) {
      // No misspelling, set by a config file (where a plugin's option of another choice of
      // the group is said before this, with that choice): mend the file, or the command line
      // can delete it.
      const std::string suffix = suggestion_suffix(name, known_);
      const bool in_a_file = value.mark.line > 0 && !value.mark.origin.empty() &&
                             suffix.find("did you mean") == std::string::npos;
      throw ConfigError(located(value, key(name)) + ": unknown option" +
                        (owner_.empty() ? "" : " for " + owner_) + suffix +
                        (in_a_file ? "; correct it in that file, or delete it with ~" + key(name) +
                                         " on the command line"
                                   : ""));
    }
  }
}

}  // namespace aelab
