// CIFAR-10 in its binary format (Krizhevsky 2009): data_batch_1..5.bin and test_batch.bin, each
// record one label byte and 3072 pixel bytes (the red, green and blue 32x32 planes).
#include <filesystem>
#include <fstream>

#include "framework/core/error.h"
#include "framework/data/dataset.h"

namespace aelab {
namespace {

constexpr int64_t kSide = 32;
constexpr int64_t kPixels = 3 * kSide * kSide;
constexpr int64_t kRecord = 1 + kPixels;
constexpr uint64_t kMaxBatchBytes = uint64_t{1} << 30;

struct ImagesAndLabels {
  torch::Tensor images, labels;
};

ImagesAndLabels read_batches(const std::string& root, const std::vector<std::string>& names) {
  std::vector<uint8_t> bytes;
  for (const auto& name : names) {
    std::string path = root + "/" + name;
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
      throw DataError("data.root: " + root + " has no file " + name +
                      " (set data.root to the cifar-10-batches-bin folder)");
    // Sizes are checked before reading: a batch holds 10,000 records, 30 MiB.
    const uint64_t size = std::filesystem::file_size(path, error);
    if (error || size == 0 || size % kRecord != 0 || size > kMaxBatchBytes)
      throw DataError(path + ": " + std::to_string(size) + " bytes is not " +
                      (size > kMaxBatchBytes ? "a CIFAR-10 batch (far too large)"
                                             : "a whole number of " + std::to_string(kRecord) +
                                                   "-byte CIFAR-10 records") +
                      " (truncated or another file? replace it)");
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> file(size);
    if (!in.read(reinterpret_cast<char*>(file.data()), static_cast<std::streamsize>(size)))
      throw DataError(path + ": cannot read the file");
    bytes.insert(bytes.end(), file.begin(), file.end());
  }
  int64_t count = static_cast<int64_t>(bytes.size()) / kRecord;
  torch::Tensor records = torch::from_blob(bytes.data(), {count, kRecord}, torch::kUInt8);
  ImagesAndLabels out;
  out.labels = records.select(1, 0).to(torch::kLong);
  out.images =
      records.slice(1, 1).reshape({count, 3, kSide, kSide}).to(torch::kFloat32).div_(255.0);
  if (out.labels.max().item<int64_t>() > 9)
    throw DataError(root + ": a label above 9; these are not CIFAR-10 files");
  return out;
}

}  // namespace

/// The five training batches and the test batch of a cifar-10-batches-bin folder.
class Cifar10Dataset : public Dataset {
 public:
  Cifar10Dataset(FolderDatasetOptions options, const DataContext&) : options_(std::move(options)) {}

  DataSplits load() const override {
    if (options_.root.empty())
      throw ConfigError("data.root: empty; set it to the cifar-10-batches-bin folder");
    ImagesAndLabels train =
        read_batches(options_.root, {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                                     "data_batch_4.bin", "data_batch_5.bin"});
    ImagesAndLabels test = read_batches(options_.root, {"test_batch.bin"});
    DataSplits splits = make_splits(train.images, train.labels, test.images, test.labels, options_);
    splits.class_names = {"airplane", "automobile", "bird",  "cat",  "deer",
                          "dog",      "frog",       "horse", "ship", "truck"};
    return splits;
  }

 private:
  FolderDatasetOptions options_;
};

AELAB_REGISTER_PLUGIN(dataset_registry(), "cifar10", Cifar10Dataset, FolderDatasetOptions)
    .describe("CIFAR-10 binary batches, 50k/10k 32x32 colour images (set data.root)");

}  // namespace aelab
