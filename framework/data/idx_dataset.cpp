// IDX folder loading: images and labels of both splits, checked against each other.
#include "framework/data/idx_dataset.h"

#include "framework/core/error.h"
#include "framework/data/idx_file.h"

namespace aelab {
namespace {

struct ImagesAndLabels {
  torch::Tensor images, labels;
};

ImagesAndLabels load_pair(const std::string& root, const std::string& prefix) {
  std::string images_path = find_idx_file(root, prefix + "-images-idx3-ubyte", "data.root");
  std::string labels_path = find_idx_file(root, prefix + "-labels-idx1-ubyte", "data.root");
  IdxArray images = read_idx_file(images_path, 3);
  IdxArray labels = read_idx_file(labels_path, 1);
  if (images.dims.size() != 3)
    throw DataError(images_path + ": expected 3 dimensions (count, rows, columns), found " +
                    std::to_string(images.dims.size()));
  if (labels.dims.size() != 1)
    throw DataError(labels_path + ": expected 1 dimension (count), found " +
                    std::to_string(labels.dims.size()));
  if (images.dims[0] != labels.dims[0])
    throw DataError(images_path + " has " + std::to_string(images.dims[0]) + " images but " +
                    labels_path + " has " + std::to_string(labels.dims[0]) +
                    " labels; the files do not belong together");
  ImagesAndLabels out;
  out.images = torch::from_blob(images.bytes.data(),
                                {images.dims[0], 1, images.dims[1], images.dims[2]}, torch::kUInt8)
                   .to(torch::kFloat32)
                   .div_(255.0);
  out.labels =
      torch::from_blob(labels.bytes.data(), {labels.dims[0]}, torch::kUInt8).to(torch::kLong);
  return out;
}

}  // namespace

DataSplits IdxDataset::load() const {
  if (options_.root.empty())
    throw ConfigError("data.root: empty; set it to the folder holding the IDX files");
  ImagesAndLabels train = load_pair(options_.root, "train");
  ImagesAndLabels test = load_pair(options_.root, "t10k");
  return make_splits(train.images, train.labels, test.images, test.labels, options_);
}

}  // namespace aelab
