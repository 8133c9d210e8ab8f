// Large CPU tensors on transparent huge pages: a dataset of 188 MB is otherwise faulted in
// 4 KB at a time (48,000 page faults, each slow inside a virtual machine).
#pragma once

#include <torch/torch.h>

namespace aelab {

/// An uninitialized CPU tensor of `sizes` and `dtype`, asked of the kernel on 2 MB pages when it
/// holds at least one (madvise(MADV_HUGEPAGE), which the kernel may decline: the tensor works
/// the same, on small pages). Smaller tensors come from torch::empty.
torch::Tensor empty_on_huge_pages(at::IntArrayRef sizes, torch::ScalarType dtype);

}  // namespace aelab
