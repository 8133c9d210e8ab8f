// `${a.b}` and `${oc.env:VAR[,default]}` interpolation, resolved after all overrides.
#include <cstdlib>

#include "framework/config/composition.h"
#include "framework/core/error.h"

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
    const ConfigNode* target = root_.find(expression);
    if (!target) fail(node, path, "interpolation ${" + expression + "} refers to a missing key");
    ConfigNode value = *target;
    if (value.kind() == ConfigNode::Kind::kString &&
        value.as_string().find("${") != std::string::npos) {
      value = resolve_string(value, expression, depth + 1);
    }
    return value;
  }

  ConfigNode resolve_string(const ConfigNode& node, const std::string& path, int depth) {
    if (depth > 32) fail(node, path, "interpolation cycle");
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
      pos = end + 1;
    }
    return ConfigNode::string(out);
  }

  ConfigNode& root_;
};

}  // namespace

void resolve_interpolations(ConfigNode& config) {
  // Resolve against a snapshot so every reference sees the unresolved tree consistently.
  ConfigNode snapshot = config;
  Resolver resolver(snapshot);
  resolver.resolve_all(config, "");
}

}  // namespace aelab
