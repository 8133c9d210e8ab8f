// data.root made absolute.
#include "framework/sweep/jobs/absolute_data_root.h"

#include <cstdlib>
#include <filesystem>
#include <string>

namespace aelab {

void make_data_root_absolute(ConfigNode& data) {
  ConfigNode* root = data.find("root");
  if (!root || root->kind() != ConfigNode::Kind::kString || root->as_string().empty()) return;
  std::string written = root->as_string();
  const char* home = std::getenv("HOME");
  if ((written == "~" || written.rfind("~/", 0) == 0) && home && *home)
    written = home + written.substr(1);
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(written, error);
  if (error || absolute.empty()) return;  // no working directory: left as written
  std::string folder = absolute.lexically_normal().string();
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  if (folder == root->as_string()) return;
  ConfigNode normal = ConfigNode::string(folder);
  normal.mark = root->mark;
  *root = normal;
}

}  // namespace aelab
