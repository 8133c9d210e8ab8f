// Dataset plugins: each loads train/validation/test tensors with pixels in [0, 1].
#pragma once

#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

#include "framework/core/registry.h"
#include "framework/data/batch.h"

namespace aelab {

/// Images as float tensors [N, C, H, W] in [0, 1] and integer labels [N] (or label maps).
struct DataSplits {
  torch::Tensor train_x, train_y;
  torch::Tensor val_x, val_y;
  torch::Tensor test_x, test_y;
  /// Names of the label values 0..K-1 where the dataset knows them (else empty).
  std::vector<std::string> class_names;
  /// The label in the data's files of each class 0..K-1, where the files number their classes
  /// otherwise (EMNIST letters: 1..26; labels 0, 1 and 255); empty where label k is class k.
  std::vector<int64_t> label_values;
  /// The class names, or `0`..`K-1` for K = the largest label + 1 when the dataset has none.
  std::vector<std::string> classes() const;
  /// Whether the training samples carry labels of two classes or more (the parabola's are all 0).
  bool has_classes() const;
  /// The splits as {x, y} sets, by name: `train`, `val`, `test`.
  LabelledSet split(const std::string& name) const;
  /// Shape of one sample, [C, H, W]: what models are built for.
  std::vector<int64_t> sample_shape() const;
  /// The same splits on `device`.
  DataSplits to(const torch::Device& device) const;
  /// 16 hex digits that change with any split's samples or labels: what a run file records of
  /// its data, so that files replaced under the same data.root are told apart.
  std::string content_hash() const;
};

/// Shared facts a dataset is built with (none yet; kept for symmetry with other kinds).
struct DataContext {};

/// A dataset plugin.
class Dataset {
 public:
  virtual ~Dataset() = default;
  /// Reads and checks every file; throws DataError naming the file and the fix.
  virtual DataSplits load() const = 0;
};

/// Registry of dataset plugins (`data.name`).
Registry<Dataset, DataContext>& dataset_registry();

/// Options of every dataset stored as files in one folder.
struct FolderDatasetOptions {
  std::string root;
  std::optional<int64_t> subset;
  std::optional<int64_t> test_subset;
  double val_fraction = 0.1;
  int64_t split_seed = 0;
  template <class V>
  void visit(V& v) {
    v("root", root, "folder holding the dataset's files");
    v("subset", subset, "use only the first N training images (null: all)", AtLeast{2});
    v("test_subset", test_subset,
      "measure on only the first N test images (null: all): every test metric, the IS-NLL's and "
      "PCA's too; for quick tries, as its numbers are not those of the whole test set",
      AtLeast{1});
    v("val_fraction", val_fraction, "share of the training images held out for validation",
      Between{0, 0.9});
    v("split_seed", split_seed, "seed of the validation split (kept apart from `seed`)");
  }
};

/// Train/validation/test splits from full training and test tensors: takes the first
/// `options.subset` training images, then holds out the validation share, and the first
/// `options.test_subset` test images. ConfigError when a subset is larger than the data or
/// leaves too few training images.
DataSplits make_splits(torch::Tensor train_x, torch::Tensor train_y, torch::Tensor test_x,
                       torch::Tensor test_y, const FolderDatasetOptions& options);

/// Where the labels of `train_y` and `test_y` (integer tensors [N]) are not the classes 0..K-1,
/// numbers their distinct values 0..K-1 in ascending order, in place, and returns the values (the
/// label of each class, for DataSplits::label_values); else leaves them and returns none.
std::vector<int64_t> number_labels_densely(torch::Tensor& train_y, torch::Tensor& test_y);

/// 0..n-1 shuffled by Fisher-Yates on std::mt19937_64 seeded with `seed`: the same order on
/// every platform and independent of torch's generator.
std::vector<int64_t> seeded_permutation(int64_t n, int64_t seed);

/// 16 hex digits that change with `samples`' values, type or shape (a tensor on any device):
/// the key of what is computed from them and cached, such as the PCA basis of a training split,
/// so that files replaced under the same data.root are not taken for the old ones.
std::string samples_hash(const torch::Tensor& samples);

/// Integer labels (a tensor of any integer type, on any device, any shape) as a host vector, in
/// order.
std::vector<int64_t> label_vector(const torch::Tensor& labels);

/// Splits `x`, `y` into a training part and a validation part of `round(fraction * N)` samples,
/// chosen by a permutation seeded with `seed` (independent of torch's generator).
void split_validation(const torch::Tensor& x, const torch::Tensor& y, double fraction, int64_t seed,
                      DataSplits& out);

}  // namespace aelab
