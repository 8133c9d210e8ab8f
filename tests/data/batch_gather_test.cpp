// Batches gathered into kept buffers hold the rows index_select gives; a batch still in use is
// never overwritten; bad indices throw.
#include "framework/data/batch_gather.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace aelab {
namespace {

LabelledSet labelled(int64_t n) {
  torch::manual_seed(2);
  return LabelledSet{torch::rand({n, 1, 6, 6}), torch::randint(10, {n}, torch::kLong)};
}

TEST(BatchGather, TakesTheRowsIndexSelectTakes) {
  const LabelledSet set = labelled(50);
  BatchGather gather;
  for (const torch::Tensor& index :
       {torch::randperm(50).slice(0, 0, 16), torch::tensor({49, 0, 0, 7}, torch::kLong)}) {
    const Batch batch = gather.take(set, index);
    EXPECT_TRUE(torch::equal(batch.x, set.x.index_select(0, index)));
    EXPECT_TRUE(torch::equal(batch.y, set.y.index_select(0, index)));
  }
  const Batch unlabelled = gather.take(LabelledSet{set.x, {}}, torch::arange(3));
  EXPECT_FALSE(unlabelled.y.defined());
}

TEST(BatchGather, ReusesItsBufferOnlyOnceTheLastBatchIsReleased) {
  const LabelledSet set = labelled(50);
  BatchGather gather;
  const torch::Tensor first = torch::arange(0, 8), second = torch::arange(8, 16);
  const void* buffer = gather.take(set, first).x.data_ptr();
  EXPECT_EQ(gather.take(set, second).x.data_ptr(), buffer);  // the first batch was released
  const Batch held = gather.take(set, first);
  const torch::Tensor view = held.x.flatten(1);
  const Batch next = gather.take(set, second);
  EXPECT_NE(next.x.data_ptr(), held.x.data_ptr());
  EXPECT_TRUE(torch::equal(held.x, set.x.slice(0, 0, 8)));
  EXPECT_TRUE(torch::equal(view, set.x.slice(0, 0, 8).flatten(1)));
}

TEST(BatchGather, OtherLayoutsGoThroughIndexSelect) {
  const LabelledSet set = labelled(20);
  const torch::Tensor strided = set.x.transpose(2, 3);  // not contiguous
  torch::Tensor buffer;
  const torch::Tensor index = torch::tensor({3, 1}, torch::kLong);
  EXPECT_TRUE(torch::equal(gather_rows(strided, index, buffer), strided.index_select(0, index)));
  EXPECT_TRUE(torch::equal(gather_rows(set.x, index.to(torch::kInt), buffer),
                           set.x.index_select(0, index)));
}

TEST(BatchGather, AnIndexOutsideTheRowsThrows) {
  const LabelledSet set = labelled(5);
  BatchGather gather;
  EXPECT_THROW(gather.take(set, torch::tensor({0, 5}, torch::kLong)), std::out_of_range);
  EXPECT_THROW(gather.take(set, torch::tensor({-1}, torch::kLong)), std::out_of_range);
}

}  // namespace
}  // namespace aelab
