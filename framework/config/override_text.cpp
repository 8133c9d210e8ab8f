// Overrides written back: canonical text (as --dry-run prints them), JSON (--parse), quoting,
// and glob() selection of group options.
#include <fnmatch.h>

#include "framework/config/override.h"
#include "framework/core/yaml_io.h"

namespace aelab {
namespace {

bool needs_quoting(const std::string& text) {
  if (text.empty()) return true;
  if (typed_scalar(text).kind() != ConfigNode::Kind::kString) return true;
  // Grammar characters inside `${...}` are the interpolation's own; outside, they need quotes.
  std::string outside;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "${") == 0) {
      ++depth;
      ++i;
    } else if (depth > 0) {
      if (text[i] == '}') --depth;
    } else {
      outside += text[i];
    }
  }
  return depth > 0 || outside.find_first_of(",[]{}()='\" \t\\:") != std::string::npos;
}

/// A dict key in override grammar: Hydra's keys are never quoted, so grammar characters and
/// spaces are escaped with a backslash.
std::string escaped_key(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (std::string("\\()[]{}:=, \t").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::vector<std::string> GlobSweep::select(const std::vector<std::string>& options) const {
  auto matches = [](const std::vector<std::string>& patterns, const std::string& name) {
    for (const auto& pattern : patterns)
      if (fnmatch(pattern.c_str(), name.c_str(), 0) == 0) return true;
    return false;
  };
  std::vector<std::string> out;
  for (const auto& option : options)
    if (matches(include, option) && !matches(exclude, option)) out.push_back(option);
  return out;
}

std::string Override::op_name() const {
  switch (op) {
    case Op::kChange:
      return "change";
    case Op::kAdd:
      return "add";
    case Op::kForceAdd:
      return "force_add";
    case Op::kDelete:
      return "delete";
  }
  return "";
}

Override Override::with_value(const ConfigNode& new_value) const {
  Override out;  // not a copy: a sweep's other values would be copied once per value
  out.op = op;
  out.key = key;
  out.package = package;
  out.has_value = true;
  out.value = new_value;
  out.text = out.canonical_text();
  // Errors about one value of a typed sweep quote the sweep as typed (`trainer.lr=1e-3,abc`).
  out.origin = origin.origin.empty() && is_sweep ? SourceMark::of_override(text) : origin;
  return out;
}

std::string Override::canonical_text() const {
  std::string prefix = op == Op::kAdd        ? "+"
                       : op == Op::kForceAdd ? "++"
                       : op == Op::kDelete   ? "~"
                                             : "";
  const std::string key = package ? this->key + "@" + *package : this->key;
  if (!has_value) return prefix + key;
  if (!is_sweep) return prefix + key + "=" + override_value_text(value);
  if (interval)
    return prefix + key + "=interval(" + override_value_text(ConfigNode::real(interval->first)) +
           "," + override_value_text(ConfigNode::real(interval->second)) + ")";
  if (values.empty()) return prefix + key + "=range(0)";  // an empty sweep, as Hydra has them
  std::string joined;
  for (size_t i = 0; i < values.size(); ++i)
    joined += (i ? "," : "") + override_value_text(values[i]);
  return prefix + key + "=" + joined;
}

std::string Override::to_json() const {
  std::string out = "{\"key\": " + aelab::to_json(ConfigNode::string(key));
  if (package) out += ", \"package\": " + aelab::to_json(ConfigNode::string(*package));
  out += ", \"op\": \"" + op_name() + "\", \"sweep\": " + (is_sweep ? "true" : "false");
  if (is_sweep) {
    ConfigNode list = ConfigNode::list(values);
    out += ", \"kind\": \"" + sweep_kind + "\"";
    if (!tags.empty()) {
      ConfigNode tag_list = ConfigNode::list();
      for (const auto& tag : tags) tag_list.items().push_back(ConfigNode::string(tag));
      out += ", \"tags\": " + aelab::to_json(tag_list);
    }
    if (shuffled) out += ", \"shuffled\": true";
    if (interval)
      out += ", \"interval\": " +
             aelab::to_json(ConfigNode::list(
                 {ConfigNode::real(interval->first), ConfigNode::real(interval->second)}));
    if (glob) {
      ConfigNode include = ConfigNode::list(), exclude = ConfigNode::list();
      for (const auto& p : glob->include) include.items().push_back(ConfigNode::string(p));
      for (const auto& p : glob->exclude) exclude.items().push_back(ConfigNode::string(p));
      out += ", \"glob\": {\"include\": " + aelab::to_json(include) +
             ", \"exclude\": " + aelab::to_json(exclude) + "}";
    }
    out += ", \"values\": " + aelab::to_json(list);
  } else if (has_value) {
    out += ", \"value\": " + aelab::to_json(value);
  }
  return out + "}";
}

std::string override_value_text(const ConfigNode& value) {
  switch (value.kind()) {
    case ConfigNode::Kind::kString: {
      const std::string& text = value.as_string();
      if (!needs_quoting(text)) return text;
      // Inside quotes a backslash escapes only a quote and the backslashes before a quote (or
      // before the closing quote): double those, escape quotes, keep other backslashes.
      std::string quoted = "'";
      for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\') {
          size_t run = 0;
          while (i + run < text.size() && text[i + run] == '\\') ++run;
          const bool before_quote = i + run == text.size() || text[i + run] == '\'';
          quoted.append(before_quote ? 2 * run : run, '\\');
          i += run - 1;
        } else {
          quoted += text[i] == '\'' ? std::string("\\'") : std::string(1, text[i]);
        }
      }
      return quoted + "'";
    }
    case ConfigNode::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < value.items().size(); ++i)
        out += (i ? "," : "") + override_value_text(value.items()[i]);
      return out + "]";
    }
    case ConfigNode::Kind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i < value.entries().size(); ++i)
        out += (i ? "," : "") + escaped_key(value.entries()[i].first) + ":" +
               override_value_text(value.entries()[i].second);
      return out + "}";
    }
    default:
      return value.text();
  }
}

}  // namespace aelab
