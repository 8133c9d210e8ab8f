// Datasets stored as IDX files (MNIST, Fashion-MNIST): the loader shared by their plugins.
#pragma once

#include "framework/data/dataset.h"

namespace aelab {

/// Loads the four IDX files of a folder, checks they agree, takes the subset and the split.
class IdxDataset : public Dataset {
 public:
  IdxDataset(FolderDatasetOptions options, const DataContext&) : options_(std::move(options)) {}
  DataSplits load() const override;

 private:
  FolderDatasetOptions options_;
};

}  // namespace aelab
