// Overrides the shell split into words.
#include "framework/config/shell_split.h"

#include <fmt/format.h>

#include "framework/core/error.h"

namespace aelab {

void check_not_split_by_the_shell(const std::vector<std::string>& texts, size_t i) {
  const std::string& text = texts[i];
  const bool next = i + 1 < texts.size();
  auto plain = [](const std::string& word) {  // a word that is no override of its own
    return !word.empty() && word.find('=') == std::string::npos && word[0] != '~' && word[0] != '+';
  };
  std::vector<std::string> words;  // the words of the override, as the shell split them
  if (!text.empty() && (text.back() == '=' || text.back() == ',') && next && plain(texts[i + 1]))
    words = {text, texts[i + 1]};  // key= 4, or key=2, 4
  else if (plain(text) && next && texts[i + 1] == "=" && i + 2 < texts.size())
    words = {text, "=", texts[i + 2]};  // key = 4
  else if (plain(text) && next && texts[i + 1].size() > 1 && texts[i + 1][0] == '=')
    words = {text, texts[i + 1]};  // key =4
  if (words.empty()) return;
  throw ConfigError("override '" + fmt::format("{}", fmt::join(words, "' '")) +
                    "': a space split one override into " + std::to_string(words.size()) +
                    " words; write " + fmt::format("{}", fmt::join(words, "")) +
                    " (no spaces in an override)");
}

}  // namespace aelab
