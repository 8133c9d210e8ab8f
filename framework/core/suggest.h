// String helpers: "did you mean" suggestions for misspelled keys and plugin names, join, split.
#pragma once

#include <string>
#include <vector>

namespace aelab {

/// Edit distance between two strings: insertions, deletions, substitutions and swaps of two
/// neighbouring characters (the optimal string alignment distance), so the typo `vea` is one
/// edit from `vae`.
size_t edit_distance(const std::string& a, const std::string& b);

/// The closest candidate to `word` (a likely typo, or the one name `word` begins), or "" when
/// none is.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

/// " (did you mean 'x'? known: a, b, c)" or " (known: a, b, c)"; "" when candidates is empty.
std::string suggestion_suffix(const std::string& word, const std::vector<std::string>& candidates);

/// `text` in lower case (ASCII letters).
std::string lowercase(std::string text);

/// Joins strings with a separator.
std::string join(const std::vector<std::string>& parts, const std::string& separator);

/// Splits at every `separator`, keeping empty parts ("a..b" gives a, "", b).
std::vector<std::string> split(const std::string& text, char separator);

}  // namespace aelab
