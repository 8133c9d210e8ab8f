// Scratch folders and tool runs for tests.
#include "tests/test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace aelab::testing {

ScratchDir::ScratchDir() {
  std::string pattern = (fs::temp_directory_path() / "aelab-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string ScratchDir::write(const std::string& name, const std::string& text) const {
  fs::path target = fs::path(path_) / name;
  fs::create_directories(target.parent_path());
  std::ofstream(target) << text;
  return target.string();
}

static std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

CommandResult run_command(const std::string& command, const std::string& directory) {
  ScratchDir logs;
  std::string out = logs.file("out"), err = logs.file("err");
  std::string full = "cd '" + directory + "' && (" + command + ") >'" + out + "' 2>'" + err + "'";
  int status = std::system(full.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.error = slurp(err);
  result.output = slurp(out) + result.error;
  return result;
}

std::string tool_path(const std::string& name) { return std::string(AELAB_BIN_DIR) + "/" + name; }

std::string project_configs() { return std::string(AELAB_SOURCE_DIR) + "/configs"; }

}  // namespace aelab::testing
