// Tensors on huge pages: the shape, the dtype and the data of torch::empty, a 2 MB aligned
// start when large, and memory handed back when the last reference goes.
#include "framework/data/huge_page_tensor.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace aelab {
namespace {

TEST(HugePageTensor, HoldsWhatIsWrittenAndStartsOnA2MbBoundaryWhenLarge) {
  for (int64_t rows : {1, 3000, 60000}) {
    torch::Tensor t = empty_on_huge_pages({rows, 784}, torch::kFloat32);
    ASSERT_EQ(t.sizes(), (std::vector<int64_t>{rows, 784}));
    EXPECT_EQ(t.scalar_type(), torch::kFloat32);
    EXPECT_TRUE(t.is_contiguous());
    torch::Tensor values = torch::arange(rows * 784, torch::kFloat32).view({rows, 784});
    t.copy_(values);
    EXPECT_TRUE(torch::equal(t, values)) << rows << " rows";
    const bool large = rows * 784 * 4 >= (2 << 20);
    if (large)
      EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data_ptr()) % (2 << 20), 0u) << rows << " rows";
  }
}

TEST(HugePageTensor, ViewsKeepTheMemoryAliveAfterTheTensorGoes) {
  torch::Tensor tail;
  {
    torch::Tensor t = empty_on_huge_pages({4096, 1024}, torch::kUInt8);
    t.fill_(7);
    tail = t.slice(0, 4000);
  }
  EXPECT_EQ(tail.sum().item<int64_t>(), 96 * 1024 * 7);
}

}  // namespace
}  // namespace aelab
