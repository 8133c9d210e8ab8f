// The dataset registry and the seeded validation split.
#include "framework/data/dataset.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "framework/core/error.h"
#include "framework/core/hashing.h"
#include "framework/data/huge_page_tensor.h"

namespace aelab {

Registry<Dataset, DataContext>& dataset_registry() {
  static Registry<Dataset, DataContext> registry("dataset");
  return registry;
}

std::vector<int64_t> DataSplits::sample_shape() const {
  auto sizes = train_x.sizes();
  return std::vector<int64_t>(sizes.begin() + 1, sizes.end());
}

std::vector<std::string> DataSplits::classes() const {
  if (!class_names.empty()) return class_names;
  int64_t largest = -1;
  for (const auto* labels : {&train_y, &val_y, &test_y})
    if (labels->defined() && labels->numel() > 0)
      largest = std::max(largest, labels->max().item<int64_t>());
  std::vector<std::string> names;
  for (int64_t k = 0; k <= largest; ++k) names.push_back(std::to_string(k));
  return names;
}

bool DataSplits::has_classes() const {
  return train_y.defined() && train_y.dim() == 1 && train_y.numel() > 0 &&
         train_y.min().item<int64_t>() != train_y.max().item<int64_t>();
}

LabelledSet DataSplits::split(const std::string& name) const {
  if (name == "train") return {train_x, train_y};
  if (name == "val") return {val_x, val_y};
  if (name == "test") return {test_x, test_y};
  throw Error("no data split '" + name + "' (train, val, test)");
}

DataSplits DataSplits::to(const torch::Device& device) const {
  DataSplits out;
  out.class_names = class_names;
  out.label_values = label_values;
  out.train_x = train_x.to(device);
  out.train_y = train_y.to(device);
  out.val_x = val_x.to(device);
  out.val_y = val_y.to(device);
  out.test_x = test_x.to(device);
  out.test_y = test_y.to(device);
  return out;
}

std::vector<int64_t> number_labels_densely(torch::Tensor& train_y, torch::Tensor& test_y) {
  const torch::Tensor values =
      std::get<0>(torch::_unique(torch::cat({train_y.flatten(), test_y.flatten()})));
  const std::vector<int64_t> found = label_vector(values);
  bool dense = true;
  for (size_t k = 0; k < found.size(); ++k) dense = dense && found[k] == static_cast<int64_t>(k);
  if (dense) return {};
  train_y = torch::searchsorted(values, train_y);
  test_y = torch::searchsorted(values, test_y);
  return found;
}

std::vector<int64_t> seeded_permutation(int64_t n, int64_t seed) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 generator(static_cast<uint64_t>(seed));
  // Fisher-Yates with our own draws: the split must not change with the standard library.
  for (int64_t i = n - 1; i > 0; --i) {
    int64_t j = static_cast<int64_t>(generator() % static_cast<uint64_t>(i + 1));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  return order;
}

void split_validation(const torch::Tensor& x, const torch::Tensor& y, double fraction, int64_t seed,
                      DataSplits& out) {
  int64_t n = x.size(0);
  int64_t val_count = static_cast<int64_t>(std::llround(fraction * static_cast<double>(n)));
  std::vector<int64_t> order = seeded_permutation(n, seed);
  std::vector<int64_t> val_index(order.begin(), order.begin() + val_count);
  std::vector<int64_t> train_index(order.begin() + val_count, order.end());
  std::sort(val_index.begin(), val_index.end());
  std::sort(train_index.begin(), train_index.end());
  // On huge pages: far fewer page faults while the rows are copied in.
  auto rows_on_huge_pages = [&x](const torch::Tensor& index) {
    if (!x.device().is_cpu()) return x.index_select(0, index);
    std::vector<int64_t> sizes = x.sizes().vec();
    sizes[0] = index.size(0);
    torch::Tensor rows = empty_on_huge_pages(sizes, x.scalar_type());
    return torch::index_select_out(rows, x, 0, index);
  };
  const torch::Tensor train_rows = torch::tensor(train_index, torch::kLong);
  const torch::Tensor val_rows = torch::tensor(val_index, torch::kLong);
  out.train_x = rows_on_huge_pages(train_rows);
  out.train_y = y.index_select(0, train_rows);
  out.val_x = rows_on_huge_pages(val_rows);
  out.val_y = y.index_select(0, val_rows);
}

DataSplits make_splits(torch::Tensor train_x, torch::Tensor train_y, torch::Tensor test_x,
                       torch::Tensor test_y, const FolderDatasetOptions& options) {
  if (train_x.sizes().slice(1) != test_x.sizes().slice(1))
    throw DataError(fmt::format(
        "{}: the training images are [{}] and the test images [{}] (a model is built for one "
        "size: give both sets at the same size)",
        options.root, fmt::join(train_x.sizes().slice(1), ", "),
        fmt::join(test_x.sizes().slice(1), ", ")));
  if (options.subset) {
    int64_t available = train_x.size(0);
    if (*options.subset > available)
      throw ConfigError("data.subset: " + std::to_string(*options.subset) + " is more than the " +
                        std::to_string(available) + " training images in " + options.root +
                        " (lower it, or null for all)");
    train_x = train_x.slice(0, 0, *options.subset);
    train_y = train_y.slice(0, 0, *options.subset);
  }
  DataSplits out;
  split_validation(train_x, train_y, options.val_fraction, options.split_seed, out);
  if (out.train_x.size(0) < 2)
    throw ConfigError("data.val_fraction: leaves fewer than 2 training images; lower it");
  if (options.val_fraction > 0 && out.val_x.size(0) == 0)
    throw ConfigError("data.val_fraction: " + format_float(options.val_fraction) + " of " +
                      std::to_string(train_x.size(0)) +
                      " training images is an empty validation split (raise data.subset or "
                      "data.val_fraction, or set data.val_fraction=0 to train without one)");
  if (options.test_subset) {
    if (*options.test_subset > test_x.size(0))
      throw ConfigError(fmt::format(
          "data.test_subset: {} is more than the {} test images in {} (lower it, or null for all)",
          *options.test_subset, test_x.size(0), options.root));
    test_x = test_x.slice(0, 0, *options.test_subset);
    test_y = test_y.slice(0, 0, *options.test_subset);
  }
  out.test_x = test_x;
  out.test_y = test_y;
  return out;
}

std::string DataSplits::content_hash() const {
  std::string hashes;
  for (const torch::Tensor* part : {&train_x, &train_y, &val_x, &val_y, &test_x, &test_y})
    hashes += (part->defined() ? samples_hash(*part) : "-") + " ";
  return hex_digits(fnv1a64(hashes));
}

std::string samples_hash(const torch::Tensor& samples) {
  const torch::Tensor host = samples.to(torch::kCPU).contiguous();
  std::string header = std::string(c10::toString(host.scalar_type()));
  for (int64_t size : host.sizes()) header += " " + std::to_string(size);
  const uint64_t values = content_hash64(host.data_ptr(), host.nbytes());
  return hex_digits(fnv1a64(header + " " + hex_digits(values)));
}

std::vector<int64_t> label_vector(const torch::Tensor& labels) {
  const torch::Tensor flat = labels.to(torch::kCPU, torch::kLong).contiguous().view(-1);
  return std::vector<int64_t>(flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel());
}

}  // namespace aelab
