// IDX folder loading: images and labels of both splits, checked against each other.
#include "framework/data/idx_dataset.h"

#include "framework/core/cache_dir.h"
#include "framework/core/error.h"
#include "framework/data/decoded_cache.h"
#include "framework/data/huge_page_tensor.h"
#include "framework/data/idx_file.h"

namespace aelab {
namespace {

struct IdxImagesAndLabels {
  torch::Tensor images, labels;
};

IdxImagesAndLabels load_pair(const std::string& root, const std::string& prefix) {
  std::string images_path = find_idx_file(root, prefix + "-images-idx3-ubyte", "data.root");
  std::string labels_path = find_idx_file(root, prefix + "-labels-idx1-ubyte", "data.root");
  const std::string cache = default_cache_dir();
  torch::Tensor images = read_idx_tensor(images_path, 3, cache);
  torch::Tensor labels = read_idx_tensor(labels_path, 1, cache);
  if (images.size(0) != labels.size(0))
    throw DataError(images_path + " has " + std::to_string(images.size(0)) + " images but " +
                    labels_path + " has " + std::to_string(labels.size(0)) +
                    " labels; the files do not belong together");
  IdxImagesAndLabels out;
  const torch::Tensor one_channel = images.unsqueeze(1);
  out.images = empty_on_huge_pages(one_channel.sizes(), torch::kFloat32);
  out.images.copy_(one_channel).div_(255.0);
  out.labels = labels.to(torch::kLong);
  return out;
}

}  // namespace

DataSplits IdxDataset::load() const {
  if (options_.root.empty())
    throw ConfigError("data.root: empty; set it to the folder holding the IDX files");
  IdxImagesAndLabels train = load_pair(options_.root, "train");
  IdxImagesAndLabels test = load_pair(options_.root, "t10k");
  // Numbered before any subset is taken, so that a class keeps its number whatever the subset.
  std::vector<int64_t> values = number_labels_densely(train.labels, test.labels);
  DataSplits splits = make_splits(train.images, train.labels, test.images, test.labels, options_);
  for (int64_t value : values) splits.class_names.push_back(std::to_string(value));
  splits.label_values = std::move(values);
  return splits;
}

}  // namespace aelab
