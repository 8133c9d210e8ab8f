// Fashion mosaics for semantic segmentation: four Fashion-MNIST items on a 64x64 canvas, each
// pixel labelled background or its item's class (11 classes), built deterministically from the
// matching split of Fashion-MNIST (training mosaics from training items, test from test).
#include "framework/core/error.h"
#include "framework/data/idx_dataset.h"
#include "framework/data/mosaic.h"

namespace aelab {

/// Options of the fashion mosaics.
struct FashionMosaicOptions {
  std::string root = "/usr/share/datasets/fashion-mnist";
  int64_t train_mosaics = 10000;
  int64_t test_mosaics = 2000;
  int64_t canvas = 64;
  int64_t jitter = 4;
  double ink_threshold = 0.25;
  bool colour = false;
  int64_t mosaic_seed = 0;
  double val_fraction = 0.1;
  int64_t split_seed = 0;
  template <class V>
  void visit(V& v) {
    v("root", root, "folder holding the Fashion-MNIST IDX files");
    v("train_mosaics", train_mosaics, "mosaics made from the training items (validation included)",
      AtLeast{2});
    v("test_mosaics", test_mosaics, "mosaics made from the test items", AtLeast{1});
    v("canvas", canvas, "side of the square canvas in pixels (2x2 cells)", AtLeast{2});
    v("jitter", jitter, "largest random shift of an item inside its cell, in pixels", AtLeast{0});
    v("ink_threshold", ink_threshold,
      "item pixels above this intensity are labelled with the item's class, the rest background",
      Between{0, 1});
    v("colour", colour,
      "3 channels, each item tinted with its class's colour (the input of colourization)");
    v("mosaic_seed", mosaic_seed, "seed of the items' order and jitter");
    v("val_fraction", val_fraction, "share of the training mosaics held out for validation",
      Between{0, 0.9});
    v("split_seed", split_seed, "seed of the validation split");
  }
};

/// The mosaics of both splits.
class FashionMosaic : public Dataset {
 public:
  FashionMosaic(FashionMosaicOptions options, const DataContext&) : options_(std::move(options)) {}

  DataSplits load() const override {
    FolderDatasetOptions source;
    source.root = options_.root;
    source.val_fraction = 0;
    DataSplits items = IdxDataset(source, DataContext{}).load();
    MosaicLayout layout{options_.canvas, options_.jitter, options_.ink_threshold, options_.colour};
    Mosaics train = make_mosaics(items.train_x, items.train_y, options_.train_mosaics,
                                 options_.mosaic_seed, layout);
    Mosaics test = make_mosaics(items.test_x, items.test_y, options_.test_mosaics,
                                options_.mosaic_seed + 1, layout);
    DataSplits out;
    split_validation(train.images, train.labels, options_.val_fraction, options_.split_seed, out);
    if (options_.val_fraction > 0 && out.val_x.size(0) == 0)
      throw ConfigError("data.val_fraction: leaves no validation mosaic; raise data.train_mosaics");
    out.test_x = test.images;
    out.test_y = test.labels;
    out.class_names = {"background", "T-shirt/top", "Trouser", "Pullover", "Dress",     "Coat",
                       "Sandal",     "Shirt",       "Sneaker", "Bag",      "Ankle boot"};
    return out;
  }

 private:
  FashionMosaicOptions options_;
};

AELAB_REGISTER_PLUGIN(dataset_registry(), "fashion_mosaic", FashionMosaic, FashionMosaicOptions)
    .describe(
        "2x2 Fashion-MNIST items on a 64x64 canvas, per-pixel labels of 11 classes "
        "(background + 10), optionally coloured by class");

}  // namespace aelab
