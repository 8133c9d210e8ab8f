// Datasets stored as IDX files (MNIST, Fashion-MNIST): the shared options and loader.
#pragma once

#include <optional>
#include <string>

#include "framework/data/dataset.h"

namespace aelab {

/// Options of every IDX-folder dataset.
struct IdxDatasetOptions {
  std::string root;
  std::optional<int64_t> subset;
  double val_fraction = 0.1;
  int64_t split_seed = 0;
  template <class V>
  void visit(V& v) {
    v("root", root, "folder holding {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]");
    v("subset", subset, "use only the first N training images (null: all)", AtLeast{2});
    v("val_fraction", val_fraction, "share of the training images held out for validation",
      Between{0, 0.9});
    v("split_seed", split_seed, "seed of the validation split (kept apart from `seed`)");
  }
};

/// Loads the four IDX files of a folder, checks they agree, takes the subset and the split.
class IdxDataset : public Dataset {
 public:
  IdxDataset(IdxDatasetOptions options, const DataContext&) : options_(std::move(options)) {}
  DataSplits load() const override;

 private:
  IdxDatasetOptions options_;
};

}  // namespace aelab
