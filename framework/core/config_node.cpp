// Config tree operations: construction, lookup by dotted path, merging and scalar typing.
#include "framework/core/config_node.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <regex>

#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {

namespace {

/// An override's text as errors quote it: shortened so that an error stays one readable line.
std::string quoted_override(const std::string& text) {
  return text.size() > 160
             ? text.substr(0, 120) + "...(" + std::to_string(text.size()) + " characters)"
             : text;
}

}  // namespace

std::string SourceMark::describe() const {
  if (origin.empty()) return "";
  if (line == 0) return "override '" + quoted_override(origin) + "'";
  return origin + ":" + std::to_string(line) + ":" + std::to_string(column);
}

SourceMark SourceMark::of_override(const std::string& text) {
  return SourceMark{quoted_override(text), 0, 0};
}

ConfigNode ConfigNode::null() { return ConfigNode(); }
ConfigNode ConfigNode::boolean(bool value) {
  ConfigNode node;
  node.kind_ = Kind::kBool;
  node.bool_ = value;
  return node;
}
ConfigNode ConfigNode::integer(int64_t value) {
  ConfigNode node;
  node.kind_ = Kind::kInt;
  node.int_ = value;
  return node;
}
ConfigNode ConfigNode::real(double value) {
  ConfigNode node;
  node.kind_ = Kind::kFloat;
  node.float_ = value;
  return node;
}
ConfigNode ConfigNode::string(std::string value) {
  ConfigNode node;
  node.kind_ = Kind::kString;
  node.string_ = std::move(value);
  return node;
}
ConfigNode ConfigNode::list(std::vector<ConfigNode> items) {
  ConfigNode node;
  node.kind_ = Kind::kList;
  node.items_ = std::move(items);
  return node;
}
ConfigNode ConfigNode::map() {
  ConfigNode node;
  node.kind_ = Kind::kMap;
  return node;
}

std::string ConfigNode::type_name() const {
  switch (kind_) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kString:
      return "string";
    case Kind::kList:
      return "list";
    case Kind::kMap:
      return "map";
  }
  return "?";
}

std::string format_float(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  auto scientific =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string text(buffer, scientific.ptr);
  const int exponent = std::atoi(text.c_str() + text.find('e') + 1);
  if (exponent < -4 || exponent >= 16) return text;
  auto fixed = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed);
  text.assign(buffer, fixed.ptr);
  if (text.find('.') == std::string::npos) text += ".0";
  return text;
}

std::string format_float_for_hashing(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string text(buffer, result.ptr);
  if (text.find_first_of(".en") == std::string::npos) text += ".0";
  return text;
}

void ConfigNode::kind_mismatch(const char* expected) const {
  const std::string where = mark.describe();
  throw Error((where.empty() ? "" : where + ": ") + "the " + type_name() + " config value '" +
              text() + "' was read as " + expected +
              " before it was checked (a bug: please report it)");
}

std::string ConfigNode::text() const {
  switch (kind_) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return bool_ ? "true" : "false";
    case Kind::kInt:
      return std::to_string(int_);
    case Kind::kFloat:
      return format_float(float_);
    case Kind::kString:
      return string_;
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < items_.size(); ++i) out += (i ? ", " : "") + items_[i].text();
      return out + "]";
    }
    case Kind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i < entries_.size(); ++i)
        out += (i ? ", " : "") + entries_[i].first + ": " + entries_[i].second.text();
      return out + "}";
    }
  }
  return "";
}

std::vector<std::string> ConfigNode::keys() const {
  std::vector<std::string> out;
  for (const auto& entry : entries_) out.push_back(entry.first);
  return out;
}

const ConfigNode* ConfigNode::get(const std::string& key) const {
  for (const auto& entry : entries_)
    if (entry.first == key) return &entry.second;
  return nullptr;
}

ConfigNode* ConfigNode::get(const std::string& key) {
  for (auto& entry : entries_)
    if (entry.first == key) return &entry.second;
  return nullptr;
}

void ConfigNode::set(const std::string& key, ConfigNode value) {
  if (ConfigNode* existing = get(key)) {
    *existing = std::move(value);
  } else {
    entries_.emplace_back(key, std::move(value));
  }
}

bool ConfigNode::remove(const std::string& key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first == key) {
      entries_.erase(it);
      return true;
    }
  }
  return false;
}

std::vector<std::string> split_dotted(const std::string& dotted_path) {
  return split(dotted_path, '.');
}

std::optional<size_t> list_index(const ConfigNode& list, const std::string& part) {
  if (!list.is_list() || part.empty() || part.size() > 9 ||
      part.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const size_t index = std::stoul(part);
  if (index >= list.items().size()) return std::nullopt;
  return index;
}

const ConfigNode* ConfigNode::find(const std::string& dotted_path) const {
  const ConfigNode* node = this;
  for (const auto& part : split_dotted(dotted_path)) {
    if (const auto index = list_index(*node, part)) {  // `hidden.0`, as OmegaConf
      node = &node->items()[*index];
      continue;
    }
    if (!node->is_map()) return nullptr;
    node = node->get(part);
    if (!node) return nullptr;
  }
  return node;
}

ConfigNode* ConfigNode::find(const std::string& dotted_path) {
  return const_cast<ConfigNode*>(static_cast<const ConfigNode*>(this)->find(dotted_path));
}

bool ConfigNode::operator==(const ConfigNode& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return bool_ == other.bool_;
    case Kind::kInt:
      return int_ == other.int_;
    case Kind::kFloat:
      return float_ == other.float_ || (std::isnan(float_) && std::isnan(other.float_));
    case Kind::kString:
      return string_ == other.string_;
    case Kind::kList:
      return items_ == other.items_;
    case Kind::kMap:
      return entries_ == other.entries_;
  }
  return false;
}

ConfigNode typed_scalar(const std::string& text) {
  static const std::regex kNull("null|Null|NULL|~|", std::regex::icase);
  static const std::regex kTrue("true", std::regex::icase);
  static const std::regex kFalse("false", std::regex::icase);
  static const std::regex kInt("[+-]?(0|[1-9][0-9_]*)");
  static const std::regex kFloat(
      "[+-]?(([0-9][0-9_]*)?\\.[0-9_]+([eE][+-]?[0-9]+)?|[0-9][0-9_]*\\.([eE][+-]?[0-9]+)?|"
      "[0-9][0-9_]*[eE][+-]?[0-9]+)");
  static const std::regex kInf("[+-]?\\.?inf", std::regex::icase);
  static const std::regex kNan("\\.?nan", std::regex::icase);
  // No number or keyword is this long; std::regex recurses per character and would overflow
  // the stack on a value of many thousands.
  if (text.size() > 256) return ConfigNode::string(text);
  if (std::regex_match(text, kNull)) return ConfigNode::null();
  if (std::regex_match(text, kTrue)) return ConfigNode::boolean(true);
  if (std::regex_match(text, kFalse)) return ConfigNode::boolean(false);
  const auto keeping_text = [&text](ConfigNode number) {
    number.written_ = text;
    return number;
  };
  std::string digits;
  for (char c : text)
    if (c != '_') digits += c;
  if (std::regex_match(text, kInt)) {
    int64_t value = 0;
    const char* begin = digits.data() + (digits[0] == '+' ? 1 : 0);
    auto result = std::from_chars(begin, digits.data() + digits.size(), value);
    if (result.ec == std::errc()) return keeping_text(ConfigNode::integer(value));
    return keeping_text(ConfigNode::real(std::strtod(digits.c_str(), nullptr)));
  }
  // strtod, not stod: a float out of range (such as a hex run id "5e3210987654") saturates to
  // inf or 0 as YAML readers do, rather than throwing.
  if (std::regex_match(text, kFloat))
    return keeping_text(ConfigNode::real(std::strtod(digits.c_str(), nullptr)));
  if (std::regex_match(text, kInf))
    return keeping_text(ConfigNode::real(text[0] == '-' ? -INFINITY : INFINITY));
  if (std::regex_match(text, kNan)) return keeping_text(ConfigNode::real(NAN));
  return ConfigNode::string(text);
}

void merge_into(ConfigNode& target, const ConfigNode& source) {
  if (target.is_map() && source.is_map()) {
    for (const auto& [key, value] : source.entries()) {
      if (ConfigNode* existing = target.get(key)) {
        merge_into(*existing, value);
      } else {
        target.set(key, value);
      }
    }
    return;
  }
  target = source;
}

}  // namespace aelab
