// The config search path.
#include "framework/config/config_source.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "framework/core/config_node.h"
#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"

namespace fs = std::filesystem;

namespace aelab {

namespace {

/// Whether `path` is `folder` or lies inside it, links and `..` resolved.
bool within(const fs::path& path, const fs::path& folder) {
  std::error_code ignored;
  const fs::path inner = fs::weakly_canonical(fs::absolute(path, ignored), ignored);
  const fs::path outer = fs::weakly_canonical(fs::absolute(folder, ignored), ignored);
  return std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end()).first == outer.end();
}

}  // namespace

ConfigSource::ConfigSource(std::vector<std::string> config_dirs) {
  for (auto& dir : config_dirs) {
    if (!fs::is_directory(dir))
      throw ConfigError(dir +
                        ": config directory not found (--config-dir takes the folder that holds "
                        "your config groups and primary configs, searched before the project's "
                        "configs)");
    const bool seen = std::any_of(dirs_.begin(), dirs_.end(), [&](const std::string& earlier) {
      return within(dir, earlier) && within(earlier, dir);
    });
    if (!seen) dirs_.push_back(std::move(dir));
  }
}

std::string ConfigSource::own_folder_of(const std::string& primary) const {
  std::error_code ignored;
  const fs::path folder = fs::absolute(primary, ignored).parent_path();
  for (const auto& dir : dirs_)
    if (within(folder, dir)) return "";
  for (const auto& entry : fs::directory_iterator(folder, ignored)) {
    if (!entry.is_directory(ignored) || !is_group(entry.path().filename().string())) continue;
    for (const auto& file : fs::directory_iterator(entry.path(), ignored))
      if (file.path().extension() == ".yaml") return folder.lexically_normal().string();
  }
  return "";
}

std::string ConfigSource::searched() const { return join(dirs_, ", then "); }

std::string ConfigSource::locate(const std::string& relative) const {
  for (const auto& dir : dirs_) {
    const fs::path path = fs::path(dir) / relative;
    if (fs::exists(path)) return path.string();
  }
  return "";
}

std::vector<std::string> ConfigSource::group_options(const std::string& group) const {
  std::set<std::string> out;
  for (const auto& dir : dirs_) {
    std::error_code absent;
    for (const auto& entry : fs::directory_iterator(fs::path(dir) / group, absent))
      if (entry.path().extension() == ".yaml") out.insert(entry.path().stem().string());
  }
  return {out.begin(), out.end()};
}

namespace {

/// Whether `folder` holds primary configs (sweeps/, reproduce/): a file whose defaults list
/// takes a config of a top folder (`/config`), as a sweep does and a group's option never
/// would.
bool folder_of_primary_configs(const fs::path& folder, const ConfigSource& source) {
  std::error_code absent;
  for (const auto& entry : fs::directory_iterator(folder, absent)) {
    if (entry.path().extension() != ".yaml") continue;
    try {
      const ConfigNode config = load_yaml_file(entry.path().string());
      const ConfigNode* defaults = config.is_map() ? config.get("defaults") : nullptr;
      if (!defaults || !defaults->is_list()) continue;
      for (const ConfigNode& item : defaults->items())
        if (item.kind() == ConfigNode::Kind::kString && item.as_string().size() > 1 &&
            item.as_string()[0] == '/' && item.as_string().find('/', 1) == std::string::npos &&
            !source.locate(item.as_string().substr(1) + ".yaml").empty())
          return true;
    } catch (const ConfigError&) {
      // A file that does not read is reported where it is used, not while listing groups.
    }
  }
  return false;
}

}  // namespace

bool ConfigSource::holds_primary_configs(const std::string& folder) const {
  auto known = primary_folders_.find(folder);
  if (known == primary_folders_.end()) {
    bool primary = false;
    for (const auto& dir : dirs_)
      primary = primary || folder_of_primary_configs(fs::path(dir) / folder, *this);
    known = primary_folders_.emplace(folder, primary).first;
  }
  return known->second;
}

bool ConfigSource::is_group(const std::string& name) const {
  if (name.empty() || name.find('.') != std::string::npos) return false;
  const bool folder = std::any_of(dirs_.begin(), dirs_.end(), [&](const std::string& dir) {
    return fs::is_directory(fs::path(dir) / name);
  });
  return folder && !holds_primary_configs(name);
}

std::vector<std::string> ConfigSource::groups() const {
  std::set<std::string> out;
  for (const auto& dir : dirs_)
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_directory() && !holds_primary_configs(entry.path().filename().string()))
        out.insert(entry.path().filename().string());
  return {out.begin(), out.end()};
}

std::string ConfigSource::resolve_primary(const std::string& name_or_path) const {
  std::vector<fs::path> candidates{fs::path(name_or_path), fs::path(name_or_path + ".yaml")};
  for (const auto& dir : dirs_)
    for (const std::string& name : {name_or_path, name_or_path + ".yaml"})
      candidates.push_back(fs::path(dir) / name);
  for (const fs::path& candidate : candidates)
    if (fs::is_regular_file(candidate)) return candidate.lexically_normal().string();
  std::vector<std::string> names;  // every config in the config folders, as -c names it
  for (const auto& dir : dirs_)
    for (const auto& entry : fs::recursive_directory_iterator(dir))
      if (entry.path().extension() == ".yaml")
        names.push_back(fs::relative(entry.path(), dir).replace_extension().generic_string());
  std::string name = name_or_path;
  if (fs::path(name).extension() == ".yaml") name = fs::path(name).replace_extension().string();
  std::string near = closest_match(name, names);
  // A path into a folder that exists (`exp/mne.yaml`): the closest config there, as given.
  const fs::path parent = fs::path(name_or_path).parent_path();
  std::error_code ignored;
  if (near.empty() && !parent.empty() && fs::is_directory(parent, ignored)) {
    std::vector<std::string> there;
    for (const auto& entry : fs::directory_iterator(parent, ignored))
      if (entry.path().extension() == ".yaml") there.push_back(entry.path().stem().string());
    const std::string stem = closest_match(fs::path(name).filename().string(), there);
    if (!stem.empty())
      near = (parent / (stem + fs::path(name_or_path).extension().string())).string();
  }
  throw ConfigError(name_or_path + ": config not found (" +
                    (near.empty() ? "" : "did you mean '" + near + "'? ") +
                    "give a file path or a name under " + searched() +
                    ", such as sweeps/bottleneck)");
}

}  // namespace aelab
