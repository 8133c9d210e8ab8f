// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 28x28 grey images of 10 clothing classes, as
// installed by Debian's dataset-fashion-mnist.
#include "framework/data/idx_dataset.h"

namespace aelab {

/// Fashion-MNIST options: the IDX options with Debian's install folder as the default root.
struct FashionMnistOptions : FolderDatasetOptions {
  FashionMnistOptions() { root = "/usr/share/datasets/fashion-mnist"; }
};

/// Fashion-MNIST: the IDX files and the names of its ten classes.
class FashionMnist : public IdxDataset {
 public:
  FashionMnist(FashionMnistOptions options, const DataContext& context)
      : IdxDataset(std::move(options), context) {}
  DataSplits load() const override {
    DataSplits splits = IdxDataset::load();
    if (splits.label_values.empty())  // a folder of files labelled otherwise keeps their labels
      splits.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return splits;
  }
};

AELAB_REGISTER_PLUGIN(dataset_registry(), "fashion_mnist", FashionMnist, FashionMnistOptions)
    .describe("Fashion-MNIST, 60k/10k 28x28 grey images (Debian's dataset-fashion-mnist)");

}  // namespace aelab
