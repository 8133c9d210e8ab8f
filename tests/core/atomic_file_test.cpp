// Whole-file writes: the file appears complete or not at all, and a failed write says which file.
#include "framework/core/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "framework/core/error.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The names in `folder`, sorted.
std::vector<std::string> names_in(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// Holds this process's files to `bytes` (writes past it fail with EFBIG, as a full disk fails
/// them with ENOSPC) while it lives.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = nullptr;
};

TEST(AtomicFile, WritesTheWholeFileAndItsFolder) {
  testing::ScratchDir dir;
  const std::string path = dir.file("jobs/sweep.yaml");
  write_file_atomically(path, [](std::ostream& out) { out << "name: demo\n"; });
  EXPECT_EQ(read_text(path), "name: demo\n");
  EXPECT_EQ(names_in(dir.file("jobs")), std::vector<std::string>{"sweep.yaml"});
}

TEST(AtomicFile, AFailedWriteKeepsTheEarlierFileAndLeavesNoTemporary) {
  testing::ScratchDir dir;
  const std::string path = dir.write("run.pt", "earlier");
  const std::string big(1 << 20, 'x');
  std::string message;
  {
    FileSizeLimit limit(4096);
    message = testing::message_of<Error>(
        [&] { write_file_atomically(path, [&](std::ostream& out) { out << big; }); });
  }
  EXPECT_EQ(message, path + ": cannot write it (File too large)");
  EXPECT_EQ(read_text(path), "earlier");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"run.pt"});
}

TEST(AtomicFile, AnErrorWhileWritingLeavesNoTemporary) {
  testing::ScratchDir dir;
  const std::string path = dir.write("a.yaml", "earlier");
  EXPECT_EQ(testing::message_of<std::runtime_error>([&] {
              write_file_atomically(path, [](std::ostream& out) {
                out << "half";
                throw std::runtime_error("stopped");
              });
            }),
            "stopped");
  EXPECT_EQ(read_text(path), "earlier");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"a.yaml"});
}

TEST(AtomicFile, AFolderThatCannotBeMadeIsNamed) {
  testing::ScratchDir dir;
  const std::string blocker = dir.write("results", "a file where a folder should be");
  const std::string message = testing::message_of<Error>([&] {
    write_file_atomically(blocker + "/jobs/sweep.yaml", [](std::ostream& out) { out << "x"; });
  });
  EXPECT_EQ(message.rfind(blocker + "/jobs/sweep.yaml: cannot create its folder (", 0), 0u)
      << message;
}

TEST(AtomicFile, TemporariesNameTheirWriterForTheCleanUp) {
  const std::string first = temporary_name_for("/r/runs/a.h5");
  const std::string second = temporary_name_for("/r/runs/a.h5");
  EXPECT_NE(first, second);
  EXPECT_EQ(first.rfind("/r/runs/a.h5.tmp-" + std::to_string(getpid()) + "-", 0), 0u) << first;
}

}  // namespace
}  // namespace aelab
