// Mosaics: four items per canvas at their cells, labels where the ink is, deterministic by seed,
// coloured by class; balanced, seeded label subsets.
#include "framework/data/mosaic.h"

#include <gtest/gtest.h>

#include "framework/core/error.h"
#include "framework/data/labelled_subset.h"

namespace aelab {
namespace {

/// Items [n, 1, 4, 4]: item i has one bright pixel at (i % 4, i % 4) and faint pixels elsewhere.
torch::Tensor marked_items(int64_t n) {
  torch::Tensor items = torch::full({n, 1, 4, 4}, 0.1);
  for (int64_t i = 0; i < n; ++i) items[i][0][i % 4][i % 4] = 0.9;
  return items;
}

TEST(Mosaic, LabelsTheInkOfEachItemWithItsClassPlusOne) {
  torch::Tensor items = marked_items(8);
  torch::Tensor labels = torch::arange(8) % 3;
  MosaicLayout layout{/*canvas=*/12, /*jitter=*/2, /*ink_threshold=*/0.5, /*colour=*/false};
  Mosaics mosaics = make_mosaics(items, labels, 2, /*seed=*/5, layout);
  ASSERT_EQ(mosaics.images.sizes(), (std::vector<int64_t>{2, 1, 12, 12}));
  ASSERT_EQ(mosaics.labels.sizes(), (std::vector<int64_t>{2, 12, 12}));
  // Every bright pixel is labelled with a class + 1, everything else is background, and each
  // canvas holds four items: four bright pixels, one in each 6x6 cell.
  torch::Tensor bright = mosaics.images.squeeze(1).gt(0.5);
  EXPECT_TRUE(mosaics.labels.ne(0).equal(bright));
  EXPECT_EQ(bright.sum().item<int64_t>(), 8);
  for (int64_t m = 0; m < 2; ++m)
    for (int64_t cell = 0; cell < 4; ++cell) {
      int64_t top = (cell / 2) * 6, left = (cell % 2) * 6;
      EXPECT_EQ(bright[m].slice(0, top, top + 6).slice(1, left, left + 6).sum().item<int64_t>(), 1);
    }
  // The eight items are each used once (a permutation), so the labels' multiset matches.
  torch::Tensor used = mosaics.labels.masked_select(bright) - 1;
  EXPECT_TRUE(std::get<0>(used.sort()).equal(std::get<0>(labels.sort())));
  Mosaics again = make_mosaics(items, labels, 2, 5, layout);
  EXPECT_TRUE(again.images.equal(mosaics.images));
  EXPECT_FALSE(make_mosaics(items, labels, 2, 6, layout).images.equal(mosaics.images));
}

TEST(Mosaic, ColourTintsItemsByClassAndTooSmallACanvasIsAnError) {
  torch::Tensor items = marked_items(4);
  torch::Tensor labels = torch::tensor({0, 1, 2, 3}, torch::kLong);
  Mosaics coloured = make_mosaics(items, labels, 1, 0, MosaicLayout{12, 2, 0.5, true});
  ASSERT_EQ(coloured.images.size(1), 3);
  torch::Tensor at = coloured.labels[0].nonzero()[0];
  int64_t y = at[0].item<int64_t>(), x = at[1].item<int64_t>();
  int64_t label = coloured.labels[0][y][x].item<int64_t>() - 1;
  torch::Tensor pixel = coloured.images[0].select(1, y).select(1, x);
  EXPECT_TRUE(pixel.allclose(0.9 * class_colour(label)));
  EXPECT_THROW(make_mosaics(items, labels, 1, 0, MosaicLayout{8, 2, 0.5, false}), ConfigError);
}

TEST(LabelledSubset, PicksTheSameNumberOfEachClassBySeed) {
  std::vector<int64_t> labels;
  for (int64_t i = 0; i < 300; ++i) labels.push_back(i % 3 == 2 && i > 200 ? 0 : i % 3);
  std::vector<int64_t> chosen = balanced_subset(labels, 3, 10, 4);
  ASSERT_EQ(chosen.size(), 30u);
  std::vector<int64_t> per_class(3, 0);
  for (int64_t index : chosen) ++per_class[labels[index]];
  EXPECT_EQ(per_class, (std::vector<int64_t>{10, 10, 10}));
  EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
  EXPECT_EQ(balanced_subset(labels, 3, 10, 4), chosen);
  EXPECT_NE(balanced_subset(labels, 3, 10, 5), chosen);
  EXPECT_THROW(balanced_subset(labels, 3, 80, 4), DataError);  // class 2 has 67
  // Named as the data names its classes (the files' labels); a class with no sample at all is
  // no matter of how many per class.
  EXPECT_EQ(testing::message_of<DataError>([&] {
              balanced_subset(labels, 3, 80, 4, {"1", "7", "255"});
            }),
            "class 255 has only 67 training sample(s), fewer than the 80 per class asked for "
            "(lower it)");
  EXPECT_EQ(testing::message_of<DataError>([&] {
              balanced_subset(labels, 4, 10, 4, {"1", "7", "255", "300"});
            }),
            "class 300 has no training sample: the data's training images hold none of it, only "
            "its test images (raise data.subset where it is set, or use data whose training "
            "images have every class)");
}

}  // namespace
}  // namespace aelab
