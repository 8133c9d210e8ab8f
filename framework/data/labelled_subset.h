// Few-label training sets: the same number of labelled samples from every class, chosen by a
// seeded permutation (independent of torch's generator) so a seed always picks the same images.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aelab {

/// Indices (ascending) of `per_class` samples of each class 0..classes-1 in `labels`. DataError
/// naming the class (by `names`, where given: the labels of the data's files) when one has fewer
/// samples than that.
std::vector<int64_t> balanced_subset(const std::vector<int64_t>& labels, int64_t classes,
                                     int64_t per_class, int64_t seed,
                                     const std::vector<std::string>& names = {});

}  // namespace aelab
