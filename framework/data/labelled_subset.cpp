// Balanced, seeded label subsets.
#include "framework/data/labelled_subset.h"

#include <algorithm>
#include <string>

#include "framework/core/error.h"
#include "framework/data/dataset.h"

namespace aelab {

std::vector<int64_t> balanced_subset(const std::vector<int64_t>& labels, int64_t classes,
                                     int64_t per_class, int64_t seed,
                                     const std::vector<std::string>& names) {
  std::vector<int64_t> taken(classes, 0), chosen;
  for (int64_t index : seeded_permutation(static_cast<int64_t>(labels.size()), seed)) {
    int64_t label = labels[index];
    if (label < 0 || label >= classes || taken[label] == per_class) continue;
    ++taken[label];
    chosen.push_back(index);
  }
  for (int64_t label = 0; label < classes; ++label) {
    const std::string name = static_cast<size_t>(label) < names.size()
                                 ? names[static_cast<size_t>(label)]
                                 : std::to_string(label);
    if (taken[label] == 0)  // no number of labels per class helps
      throw DataError("class " + name +
                      " has no training sample: the data's training images hold none of it, "
                      "only its test images (raise data.subset where it is set, or use data whose "
                      "training images have every class)");
    if (taken[label] < per_class)
      throw DataError("class " + name + " has only " + std::to_string(taken[label]) +
                      " training sample(s), fewer than the " + std::to_string(per_class) +
                      " per class asked for (lower it)");
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace aelab
