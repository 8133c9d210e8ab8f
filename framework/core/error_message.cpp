// Readable lines for standard exceptions.
#include "framework/core/error_message.h"

#include <cstdio>
#include <filesystem>
#include <new>

namespace aelab {

std::string one_line_message(const std::exception& e) {
  std::string line;
  if (const auto* fs_error = dynamic_cast<const std::filesystem::filesystem_error*>(&e)) {
    line = "file system: " + fs_error->code().message();
    if (!fs_error->path1().empty()) line += " for '" + fs_error->path1().string() + "'";
    if (!fs_error->path2().empty()) line += " and '" + fs_error->path2().string() + "'";
    line += " (check the folder exists, can be written and has space)";
  } else if (dynamic_cast<const std::bad_alloc*>(&e)) {
    line =
        "out of memory (lower trainer.batch_size, eval.samples_per_batch or data.subset, or "
        "run fewer jobs at once)";
  } else {
    line = e.what();
  }
  // One line a terminal shows as it is: control bytes escaped, and at most 2,000 characters.
  std::string out;
  for (char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (byte < 0x20 || byte == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02X", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  if (out.size() > 2000) out = out.substr(0, 1990) + "...(cut)";
  return out;
}

}  // namespace aelab
