// `${a.b}`, relative `${.b}` and `${..b}` (as OmegaConf), and `${oc.env:VAR[,default]}`
// interpolation, resolved after all overrides.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "framework/config/composition.h"
#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {
namespace {

class Resolver {
 public:
  explicit Resolver(ConfigNode& root) : root_(root) {}

  void resolve_all(ConfigNode& node, const std::string& path) {
    if (node.is_map()) {
      for (auto& [key, child] : node.entries())
        resolve_all(child, path.empty() ? key : path + "." + key);
    } else if (node.is_list()) {
      for (size_t i = 0; i < node.items().size(); ++i)
        resolve_all(node.items()[i], path + "[" + std::to_string(i) + "]");
    } else if (node.kind() == ConfigNode::Kind::kString &&
               node.as_string().find("${") != std::string::npos) {
      SourceMark mark = node.mark;
      node = resolve_string(node, path, 0);
      node.mark = mark;
    }
  }

 private:
  [[noreturn]] void fail(const ConfigNode& node, const std::string& path,
                         const std::string& what) const {
    std::string where = node.mark.describe();
    throw ConfigError((where.empty() ? "" : where + ": ") + path + ": " + what);
  }

  ConfigNode lookup(const std::string& expression, const ConfigNode& node, const std::string& path,
                    int depth) {
    if (expression.rfind("oc.env:", 0) == 0) {
      std::string args = expression.substr(7);
      size_t comma = args.find(',');
      std::string name = args.substr(0, comma);
      const char* value = std::getenv(name.c_str());
      if (value) return ConfigNode::string(value);
      if (comma == std::string::npos)
        fail(node, path,
             "environment variable " + name + " is not set (or give a default: ${oc.env:" + name +
                 ",VALUE})");
      return typed_scalar(args.substr(comma + 1));
    }
    if (expression.rfind('.', 0) == 0) {
      const std::string key = absolute(expression, node, path);
      if (!root_.find(key))
        fail(node, path,
             "interpolation ${" + expression + "} refers to a missing key (" + key + ")" +
                 key_hint(key, path));
      return lookup(key, node, path, depth);
    }
    if (const size_t colon = expression.find(':'); colon != std::string::npos)
      fail(node, path,
           "${" + expression + "} uses the resolver '" + expression.substr(0, colon) +
               "', which aelab does not have (it has oc.env); write ${a.b} for another key");
    const ConfigNode* target = root_.find(expression);
    if (!target)
      fail(node, path,
           "interpolation ${" + expression + "} refers to a missing key" +
               key_hint(expression, path));
    if (target->kind() != ConfigNode::Kind::kString ||
        target->as_string().find("${") == std::string::npos)
      return *target;
    // Each key is resolved once, so values that refer to others several times stay linear.
    if (auto done = resolved_.find(expression); done != resolved_.end()) return done->second;
    if (!in_progress_.insert(expression).second)
      fail(node, path, "interpolation cycle through ${" + expression + "}");
    ConfigNode value = resolve_string(*target, expression, depth + 1);
    in_progress_.erase(expression);
    return resolved_[expression] = value;
  }

  /// " (did you mean ${trainer.epochs}?)" for the key of the config closest to `key`, other than
  /// `path`, the key that holds the interpolation; "" if none.
  std::string key_hint(const std::string& key, const std::string& path) const {
    std::vector<std::string> keys;
    collect_keys(root_, "", keys);
    keys.erase(std::remove(keys.begin(), keys.end(), path), keys.end());
    const std::string best = closest_match(key, keys);
    return best.empty() ? "" : " (did you mean ${" + best + "}?)";
  }

  static void collect_keys(const ConfigNode& node, const std::string& prefix,
                           std::vector<std::string>& keys) {
    if (!node.is_map()) return;
    for (const auto& [name, child] : node.entries()) {  // values, not sections
      if (!child.is_map()) keys.push_back(prefix + name);
      collect_keys(child, prefix + name + ".", keys);
    }
  }

  /// A relative interpolation as the key it names, as in OmegaConf: `${.batch_size}` in
  /// trainer.eval_batch_size is trainer.batch_size; each further dot goes up one section.
  std::string absolute(const std::string& expression, const ConfigNode& node,
                       const std::string& path) const {
    const size_t dots = expression.find_first_not_of('.');
    const std::string key = dots == std::string::npos ? "" : expression.substr(dots);
    if (path.find('[') != std::string::npos)
      fail(node, path,
           "${" + expression + "} is relative inside a list; write the key in full, as ${a.b}");
    std::vector<std::string> sections = split_dotted(path);
    const size_t up = dots == std::string::npos ? expression.size() : dots;
    if (key.empty() || up > sections.size())
      fail(node, path,
           "${" + expression + "} names no key " +
               (key.empty() ? "after its dots" : "(it goes above the top of the config)"));
    sections.resize(sections.size() - up);
    sections.push_back(key);
    return join(sections, ".");
  }

  ConfigNode resolve_string(const ConfigNode& node, const std::string& path, int depth) {
    if (depth > kMaxDepth)
      fail(node, path, "interpolations nested more than " + std::to_string(kMaxDepth) + " deep");
    const std::string& text = node.as_string();
    std::string out;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t start = text.find("${", pos);
      if (start == std::string::npos) {
        out += text.substr(pos);
        break;
      }
      size_t end = text.find('}', start);
      if (end == std::string::npos)
        fail(node, path, "unterminated interpolation in '" + text + "'");
      std::string expression = text.substr(start + 2, end - start - 2);
      ConfigNode value = lookup(expression, node, path, depth);
      if (start == 0 && end + 1 == text.size()) return value;  // whole value: keep its type
      if (!value.is_scalar())
        fail(node, path,
             "${" + expression + "} is a " + value.type_name() + " and cannot be part of a string");
      out += text.substr(pos, start - pos) + value.text();
      if (out.size() > kMaxLength)
        fail(node, path,
             "interpolation makes a value longer than " + std::to_string(kMaxLength) +
                 " characters (values that repeat other values, nested?)");
      pos = end + 1;
    }
    return ConfigNode::string(out);
  }

  static constexpr int kMaxDepth = 64;
  static constexpr size_t kMaxLength = 1 << 20;
  ConfigNode& root_;
  std::map<std::string, ConfigNode> resolved_;  ///< keys resolved so far, by dotted path
  std::set<std::string> in_progress_;           ///< keys being resolved: a cycle returns to one
};

}  // namespace

void resolve_interpolations(ConfigNode& config) {
  // Resolve against a snapshot so every reference sees the unresolved tree consistently.
  ConfigNode snapshot = config;
  Resolver resolver(snapshot);
  resolver.resolve_all(config, "");
}

}  // namespace aelab
