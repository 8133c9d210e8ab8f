// Large CPU tensors on transparent huge pages.
#include "framework/data/huge_page_tensor.h"

#include <c10/util/accumulate.h>
#include <sys/mman.h>

#include <cstdint>

namespace aelab {

torch::Tensor empty_on_huge_pages(at::IntArrayRef sizes, torch::ScalarType dtype) {
  constexpr size_t kHugePage = size_t(2) << 20;
  const auto options = torch::TensorOptions().dtype(dtype);
  const size_t bytes = static_cast<size_t>(c10::multiply_integers(sizes)) * c10::elementSize(dtype);
  if (bytes < kHugePage) return torch::empty(sizes, options);
  // One huge page more than needed, so that the data can start on a 2 MB boundary.
  const size_t mapped = (bytes + 2 * kHugePage - 1) / kHugePage * kHugePage;
  void* base = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return torch::empty(sizes, options);  // torch reports the shortage
  const uintptr_t aligned =
      (reinterpret_cast<uintptr_t>(base) + kHugePage - 1) / kHugePage * kHugePage;
#ifdef MADV_HUGEPAGE
  ::madvise(reinterpret_cast<void*>(aligned), mapped - kHugePage, MADV_HUGEPAGE);
#endif
  return torch::from_blob(
      reinterpret_cast<void*>(aligned), sizes, [base, mapped](void*) { ::munmap(base, mapped); },
      options);
}

}  // namespace aelab
