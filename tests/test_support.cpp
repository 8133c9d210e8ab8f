// Scratch folders and tool runs for tests.
#include "tests/test_support.h"

#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "framework/core/source_tree.h"

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
  std::string target = (fs::path(path_) / name).string();
  write_file(target, text);
  return target;
}

void ScratchDir::write_file(const std::string& path, const std::string& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

static std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

CommandResult command_result(int status, const std::string& out, const std::string& err) {
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.error = slurp(err);
  result.output = slurp(out) + result.error;
  return result;
}

CommandResult run_command(const std::string& command, const std::string& directory) {
  ScratchDir logs;
  std::string out = logs.file("out"), err = logs.file("err");
  std::string full = "cd '" + directory + "' && (" + command + ") >'" + out + "' 2>'" + err + "'";
  return command_result(std::system(full.c_str()), out, err);
}

std::string tool_path(const std::string& name) {
  return (fs::read_symlink("/proc/self/exe").parent_path() / name).string();
}

std::string project_configs() { return source_tree() + "/configs"; }

void write_idx(const std::string& path, const std::vector<int64_t>& dims,
               const std::vector<uint8_t>& bytes, bool gzip) {
  std::vector<uint8_t> raw = {0, 0, 0x08, static_cast<uint8_t>(dims.size())};
  for (int64_t dim : dims)
    for (int shift : {24, 16, 8, 0}) raw.push_back(static_cast<uint8_t>((dim >> shift) & 0xff));
  raw.insert(raw.end(), bytes.begin(), bytes.end());
  fs::create_directories(fs::path(path).parent_path());
  if (gzip) {
    gzFile file = gzopen(path.c_str(), "wb");
    gzwrite(file, raw.data(), static_cast<unsigned>(raw.size()));
    gzclose(file);
  } else {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
  }
}

void write_toy_idx_dataset(const std::string& folder, int64_t train_count, int64_t test_count,
                           int64_t side, unsigned seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto images = [&](int64_t count) {
    std::vector<uint8_t> pixels;
    for (int64_t n = 0; n < count; ++n) {
      // A blob at a random place with a random width: structured, so PCA and autoencoders
      // have something to find.
      double cx = uniform(generator) * side, cy = uniform(generator) * side;
      double width = 1.0 + uniform(generator) * side / 3.0;
      for (int64_t y = 0; y < side; ++y)
        for (int64_t x = 0; x < side; ++x) {
          double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
          pixels.push_back(static_cast<uint8_t>(255.0 * std::exp(-d2 / (2 * width * width))));
        }
    }
    return pixels;
  };
  auto labels = [&](int64_t count) {
    std::vector<uint8_t> out;
    for (int64_t n = 0; n < count; ++n) out.push_back(static_cast<uint8_t>(n % 10));
    return out;
  };
  write_idx(folder + "/train-images-idx3-ubyte.gz", {train_count, side, side}, images(train_count),
            true);
  write_idx(folder + "/train-labels-idx1-ubyte.gz", {train_count}, labels(train_count), true);
  write_idx(folder + "/t10k-images-idx3-ubyte", {test_count, side, side}, images(test_count),
            false);
  write_idx(folder + "/t10k-labels-idx1-ubyte", {test_count}, labels(test_count), false);
}

}  // namespace aelab::testing
