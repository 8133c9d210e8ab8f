// Helpers shared by the test binaries: scratch folders and running the built tools.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aelab::testing {

/// A fresh empty folder under the system temp dir, removed when the object goes away.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  /// path() + "/" + name
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  /// Writes `text` to `name` (creating parent folders) and returns the full path.
  std::string write(const std::string& name, const std::string& text) const;
  /// Writes `bytes` to the absolute `path`, creating parent folders.
  static void write_file(const std::string& path, const std::string& bytes);

 private:
  std::string path_;
};

/// Output and exit code of a shell command.
struct CommandResult {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr together
  std::string error;   ///< stderr alone
};

/// Runs `command` with /bin/sh in `directory` and captures its output.
CommandResult run_command(const std::string& command, const std::string& directory = ".");

/// What a process that ended with wait status `status` wrote to the files `out` and `err`.
CommandResult command_result(int status, const std::string& out, const std::string& err);

/// The message of the `E` that `call()` throws; "no error" when it throws none.
template <class E, class Call>
std::string message_of(Call&& call) {
  try {
    call();
  } catch (const E& e) {
    return e.what();
  }
  return "no error";
}

/// Path of a built program, such as `run_sweep`.
std::string tool_path(const std::string& name);

/// Path of the project's config folder.
std::string project_configs();

/// Writes an IDX file of unsigned bytes (gzip-compressed when `gzip`).
void write_idx(const std::string& path, const std::vector<int64_t>& dims,
               const std::vector<uint8_t>& bytes, bool gzip);

/// Writes a small MNIST-format dataset (train and t10k images and labels) of smooth random
/// images to `folder`: `train_count` and `test_count` images of `side` x `side` pixels.
void write_toy_idx_dataset(const std::string& folder, int64_t train_count, int64_t test_count,
                           int64_t side, unsigned seed = 1);

}  // namespace aelab::testing
