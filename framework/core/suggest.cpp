// Edit distance and the phrasing of suggestions.
#include "framework/core/suggest.h"

#include <algorithm>
#include <cctype>

namespace aelab {

size_t edit_distance(const std::string& a, const std::string& b) {
  // d[i][j]: distance between the first i characters of a and the first j of b.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  if (std::find(candidates.begin(), candidates.end(), word) != candidates.end()) return word;
  std::string best;
  // The name in other letter case ('VAE' for 'vae'), however short.
  for (const auto& candidate : candidates)
    if (lowercase(candidate) == lowercase(word)) return candidate;
  // A name cut short ('gauss' for 'gaussian', 'test/nll' for 'test/nll_is'), before a near
  // spelling of another name ('test/kl'); of several that start with it, the nearest spelling
  // ('test/acc' for 'test/accuracy', not 'test/accuracy_frozen' nor 'test/ari').
  if (word.size() >= 3) {
    std::vector<std::string> starting;
    for (const auto& candidate : candidates)
      if (candidate.rfind(word, 0) == 0) starting.push_back(candidate);
    if (!starting.empty())
      return *std::min_element(starting.begin(), starting.end(),
                               [&](const std::string& a, const std::string& b) {
                                 return edit_distance(word, a) < edit_distance(word, b);
                               });
    // A key without its section ('labels_per_class' for 'transfer.labels_per_class').
    for (const auto& candidate : candidates)
      if (candidate.size() > word.size() + 1 &&
          candidate.compare(candidate.size() - word.size(), word.size(), word) == 0 &&
          candidate[candidate.size() - word.size() - 1] == '.') {
        if (!best.empty()) {
          best.clear();
          break;
        }
        best = candidate;
      }
    if (!best.empty()) return best;
  }
  // Two edits in a short word make another word ('foo' is not a typo of 'root'): up to 5
  // letters one edit, then two, and one more for every 3 letters past 8.
  size_t best_distance = word.size() <= 5 ? 2 : std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  if (!best.empty() || word.size() < 3) return best;
  // A name said at length ('kernel_size' for 'kernel'), where only one candidate of three or
  // more letters begins it.
  for (const auto& candidate : candidates)
    if (candidate.size() >= 3 && word.rfind(candidate, 0) == 0) {
      if (!best.empty()) return "";
      best = candidate;
    }
  return best;
}

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t found = text.find(separator, start);
    parts.push_back(text.substr(start, found - start));
    if (found == std::string::npos) return parts;
    start = found + 1;
  }
}

std::string suggestion_suffix(const std::string& word, const std::vector<std::string>& candidates) {
  if (candidates.empty()) return "";
  std::string best = closest_match(word, candidates);
  std::string known = "known: " + join(candidates, ", ");
  return best.empty() ? " (" + known + ")" : " (did you mean '" + best + "'? " + known + ")";
}

}  // namespace aelab
