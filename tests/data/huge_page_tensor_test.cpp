// Tensors on huge pages: the shape, the dtype and the data of torch::empty, a 2 MB aligned
// start when large, the mapping gone with the last reference, and the split that fills them.
#include "framework/data/huge_page_tensor.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdint>

#include "framework/data/dataset.h"

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

TEST(HugePageTensor, ViewsKeepTheMemoryAliveAndTheLastOneUnmapsIt) {
  torch::Tensor tail;
  {
    torch::Tensor t = empty_on_huge_pages({4096, 1024}, torch::kUInt8);
    t.fill_(7);
    tail = t.slice(0, 4000);
  }
  EXPECT_EQ(tail.sum().item<int64_t>(), 96 * 1024 * 7);
  // Once the last view goes, the mapping is gone: mincore refuses unmapped memory.
  void* start = tail.data_ptr();
  unsigned char resident = 0;
  ASSERT_EQ(mincore(start, 4096, &resident), 0);
  tail = torch::Tensor();
  EXPECT_EQ(mincore(start, 4096, &resident), -1);
  EXPECT_EQ(errno, ENOMEM);
}

TEST(HugePageTensor, AValidationSplitOfLargeDataHoldsTheRowsOfItsLabels) {
  // Labels 0..N-1 name each row, so every split row can be checked against its source.
  const int64_t n = 3000;
  torch::Tensor x = torch::rand({n, 1, 28, 28});
  torch::Tensor y = torch::arange(n, torch::kLong);
  DataSplits splits;
  split_validation(x, y, 0.1, 7, splits);
  ASSERT_EQ(splits.train_x.size(0) + splits.val_x.size(0), n);
  EXPECT_EQ(splits.val_x.size(0), 300);
  EXPECT_TRUE(torch::equal(splits.train_x, x.index_select(0, splits.train_y)));
  EXPECT_TRUE(torch::equal(splits.val_x, x.index_select(0, splits.val_y)));
}

}  // namespace
}  // namespace aelab
