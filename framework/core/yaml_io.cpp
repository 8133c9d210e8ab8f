// YAML <-> ConfigNode through yaml-cpp, keeping source marks and Hydra's scalar typing.
#include "framework/core/yaml_io.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "framework/core/error.h"
#include "framework/core/yaml_syntax_error.h"
#include "framework/core/yaml_unclosed.h"

namespace aelab {
namespace {

SourceMark mark_of(const YAML::Node& node, const std::string& origin) {
  return SourceMark{origin, node.Mark().line + 1, node.Mark().column + 1};
}

/// Limits on what one YAML document may expand to: aliases repeat whole subtrees, so a few
/// lines of `&a`/`*a` can stand for billions of values (a "billion laughs"). Written out, a value
/// takes a character at least: a document of N characters may hold N values (a sweep's job
/// list of 40,000 jobs holds 160,000), and 100,000 whatever its size.
constexpr int64_t kMaxYamlValues = 100000;
constexpr int kMaxYamlDepth = 200;

/// yaml-cpp nodes to ConfigNodes, counting every value made.
class Converter {
 public:
  Converter(std::string origin, int64_t max_values)
      : origin_(std::move(origin)), max_values_(std::max(kMaxYamlValues, max_values)) {}

  ConfigNode convert(const YAML::Node& node, int depth) {
    if (++values_ > max_values_)
      throw ConfigError(mark_of(node, origin_).describe() + ": the YAML expands to more than " +
                        std::to_string(max_values_) +
                        " values (aliases that repeat aliases?); write it out plainly");
    if (depth > kMaxYamlDepth)
      throw ConfigError(mark_of(node, origin_).describe() + ": values nested more than " +
                        std::to_string(kMaxYamlDepth) + " levels deep");
    ConfigNode out;
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out = ConfigNode::null();
        break;
      case YAML::NodeType::Scalar:
        // yaml-cpp tags quoted scalars "!": they stay strings, as in YAML.
        out = node.Tag() == "!" ? ConfigNode::string(node.Scalar()) : typed_scalar(node.Scalar());
        break;
      case YAML::NodeType::Sequence:
        out = ConfigNode::list();
        for (const auto& item : node) out.items().push_back(convert(item, depth + 1));
        break;
      case YAML::NodeType::Map:
        out = convert_map(node, depth);
        break;
    }
    out.mark = mark_of(node, origin_);
    return out;
  }

 private:
  ConfigNode convert_map(const YAML::Node& node, int depth) {
    ConfigNode out = ConfigNode::map();
    for (const auto& entry : node) {
      if (!entry.first.IsScalar())
        throw ConfigError(mark_of(entry.first, origin_).describe() +
                          ": map keys must be plain names");
      std::string key = entry.first.Scalar();
      if (out.get(key))
        throw ConfigError(mark_of(entry.first, origin_).describe() + ": duplicate key '" + key +
                          "' (remove one of them)");
      ConfigNode value = convert(entry.second, depth + 1);
      // yaml-cpp marks a value on the lines below its key where its first token starts: an
      // empty one (`trainer:`) at whatever comes next, a block map at its first key. Errors
      // about the value as a whole point at the key, where the user wrote it.
      const SourceMark key_mark = mark_of(entry.first, origin_);
      if (value.mark.line > key_mark.line) value.mark = key_mark;
      out.set(key, std::move(value));
    }
    return out;
  }

  std::string origin_;
  int64_t max_values_;
  int64_t values_ = 0;
};

bool needs_quotes(const std::string& text) {
  return text.empty() || typed_scalar(text).kind() != ConfigNode::Kind::kString ||
         text.find_first_of(":#{}[],&*!|>'\"%@`\n") != std::string::npos || text.front() == ' ' ||
         text.back() == ' ' || text.front() == '-' || text.front() == '?';
}

/// A float as PyYAML writes one: Python's repr, with `.0` before a bare exponent (`1.0e-05`),
/// which YAML 1.1 readers (PyYAML's safe_load among them) need to read it as a float.
std::string yaml_float(double value) {
  std::string text = format_float(value);
  if (size_t e = text.find('e'); e != std::string::npos && text.find('.') == std::string::npos)
    text.insert(e, ".0");
  return text;
}

using FloatText = std::string (*)(double);

void emit(YAML::Emitter& out, const ConfigNode& node, FloatText float_text) {
  switch (node.kind()) {
    case ConfigNode::Kind::kNull:
      out << YAML::Null;
      break;
    case ConfigNode::Kind::kBool:
      out << (node.as_bool() ? "true" : "false");
      break;
    case ConfigNode::Kind::kInt:
      out << node.as_int();
      break;
    case ConfigNode::Kind::kFloat: {
      double value = node.as_float();
      if (std::isnan(value))
        out << ".nan";
      else if (std::isinf(value))
        out << (value > 0 ? ".inf" : "-.inf");
      else
        out << float_text(value);
      break;
    }
    case ConfigNode::Kind::kString:
      if (needs_quotes(node.as_string())) out << YAML::DoubleQuoted;
      out << node.as_string();
      break;
    case ConfigNode::Kind::kList: {
      bool flat = true;
      for (const auto& item : node.items()) flat = flat && item.is_scalar();
      if (flat) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : node.items()) emit(out, item, float_text);
      out << YAML::EndSeq;
      break;
    }
    case ConfigNode::Kind::kMap:
      if (node.entries().empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [key, value] : node.entries()) {
        out << YAML::Key << key << YAML::Value;
        emit(out, value, float_text);
      }
      out << YAML::EndMap;
      break;
  }
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          snprintf(buffer, sizeof(buffer), "\\u%04x", c);
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

/// ConfigError for a `---` that starts a second document. Found in the text rather than with
/// YAML::LoadAll, which loops without end on some malformed input (found by fuzzing).
void reject_second_document(const std::string& text, const std::string& origin) {
  bool content = false;
  int line_number = 0;
  for (size_t start = 0; start <= text.size(); ++line_number) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    const bool marker = line.rfind("---", 0) == 0 &&
                        (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
    if (marker && content)
      throw ConfigError(origin + ":" + std::to_string(line_number + 1) +
                        ": a second YAML document ('---'); a config file holds one, so remove it "
                        "or move it to a file of its own");
    const size_t first = line.find_first_not_of(" \t\r");
    if (!marker && first != std::string::npos && line[first] != '#' && line[first] != '%')
      content = true;
  }
}

std::string emitted_yaml(const ConfigNode& node, FloatText float_text, bool null_as_word = false) {
  YAML::Emitter out;
  out.SetIndent(2);
  if (null_as_word) out.SetNullFormat(YAML::LowerNull);
  emit(out, node, float_text);
  return std::string(out.c_str()) + "\n";
}

/// Whether a string value of `node`'s tree starts at `line`:`column`.
bool has_string_at(const ConfigNode& node, int line, int column) {
  if (node.kind() == ConfigNode::Kind::kString)
    return node.mark.line == line && node.mark.column == column;
  for (const auto& item : node.items())
    if (has_string_at(item, line, column)) return true;
  for (const auto& [key, value] : node.entries())
    if (has_string_at(value, line, column)) return true;
  return false;
}

/// yaml-cpp reads a quote left open as a string running to the end of the file, the keys below
/// it included, and reports nothing.
void reject_unclosed_quote(const ConfigNode& root, const std::string& text,
                           const std::string& origin) {
  const std::optional<FlowOpening> quote = unclosed_quote(text);
  if (!quote || !has_string_at(root, quote->line, quote->column)) return;
  const std::string mark(1, quote->bracket);
  throw ConfigError(invalid_yaml_at(origin, quote->line, quote->column) + "this " + mark +
                    " is never closed (end the string with " + mark + ")");
}

}  // namespace

ConfigNode parse_yaml(const std::string& text, const std::string& origin) {
  try {
    reject_second_document(text, origin);
    YAML::Node root = YAML::Load(text);
    if (!root.IsDefined() || root.IsNull()) {
      ConfigNode empty = ConfigNode::map();
      empty.mark = SourceMark{origin, 1, 1};
      return empty;
    }
    ConfigNode converted = Converter(origin, static_cast<int64_t>(text.size())).convert(root, 0);
    reject_unclosed_quote(converted, text, origin);
    return converted;
  } catch (const YAML::Exception& e) {
    throw ConfigError(yaml_syntax_error(e, text, origin));
  }
}

namespace {

/// Parsed config files by path, with the text each was parsed from: composing each job of a
/// sweep reads the same few files again, and parsing them was most of the time that planning a
/// sweep of 40,000 jobs took. Reading a file is cheap; its text decides whether it changed.
struct ParsedFiles {
  std::mutex mutex;
  std::map<std::string, std::pair<std::string, ConfigNode>> by_path;
};

ParsedFiles& parsed_files() {
  static ParsedFiles files;
  return files;
}

}  // namespace

ConfigNode load_yaml_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot read config file (check the path)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  // A run file, a summary or a checkpoint given for a config: said so, not a YAML escape error.
  if (text.find('\0') != std::string::npos)
    throw ConfigError(path + ": not a YAML config but binary data" +
                      (text.rfind("\x89HDF\r\n\x1a\n", 0) == 0 || text.rfind("aelab seal", 0) == 0
                           ? std::string(" (an HDF5 file)")
                           : "") +
                      "; give a .yaml config file");
  ParsedFiles& files = parsed_files();
  {
    std::lock_guard<std::mutex> lock(files.mutex);
    const auto found = files.by_path.find(path);
    if (found != files.by_path.end() && found->second.first == text) return found->second.second;
  }
  ConfigNode parsed = parse_yaml(text, path);
  std::lock_guard<std::mutex> lock(files.mutex);
  files.by_path.insert_or_assign(path, std::make_pair(std::move(text), parsed));
  return parsed;
}

std::string to_yaml(const ConfigNode& node) {
  // `null`, as Hydra and OmegaConf print it; the hashed text keeps yaml-cpp's `~`, so run ids
  // stay.
  return emitted_yaml(node, yaml_float, /*null_as_word=*/true);
}

std::string yaml_for_hashing(const ConfigNode& node) {
  return emitted_yaml(node, format_float_for_hashing);
}

std::string to_json(const ConfigNode& node) {
  switch (node.kind()) {
    case ConfigNode::Kind::kNull:
      return "null";
    case ConfigNode::Kind::kBool:
      return node.as_bool() ? "true" : "false";
    case ConfigNode::Kind::kInt:
      return std::to_string(node.as_int());
    case ConfigNode::Kind::kFloat: {
      double value = node.as_float();
      if (std::isnan(value) || std::isinf(value)) return json_string(format_float(value));
      return format_float(value);
    }
    case ConfigNode::Kind::kString:
      return json_string(node.as_string());
    case ConfigNode::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < node.items().size(); ++i)
        out += (i ? ", " : "") + to_json(node.items()[i]);
      return out + "]";
    }
    case ConfigNode::Kind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i < node.entries().size(); ++i)
        out += (i ? ", " : "") + json_string(node.entries()[i].first) + ": " +
               to_json(node.entries()[i].second);
      return out + "}";
    }
  }
  return "null";
}

}  // namespace aelab
