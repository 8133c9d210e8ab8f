// Overrides the shell split into several words (`key= 4`, `key =4`, `key=2, 4`): said with the
// way to write them, rather than as a parse error about the second word.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace aelab {

/// ConfigError where `texts[i]` and the words after it are one override that spaces split.
void check_not_split_by_the_shell(const std::vector<std::string>& texts, size_t i);

}  // namespace aelab
