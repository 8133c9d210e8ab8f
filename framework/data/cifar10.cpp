// CIFAR-10 in its binary format (Krizhevsky 2009): data_batch_1..5.bin and test_batch.bin, each
// record one label byte and 3072 pixel bytes (the red, green and blue 32x32 planes).
#include <filesystem>
#include <fstream>

#include "framework/core/error.h"
#include "framework/data/cifar10_batch.h"
#include "framework/data/dataset.h"

namespace aelab {
namespace {

/// A batch holds 10,000 records, 30 MiB; files far larger are refused before reading.
constexpr uint64_t kMaxBatchBytes = uint64_t{1} << 30;

struct CifarImagesAndLabels {
  torch::Tensor images, labels;
};

std::vector<uint8_t> read_batch_file(const std::string& root, const std::string& name) {
  const std::string path = root + "/" + name;
  std::error_code error;
  if (!std::filesystem::is_directory(root, error))
    throw DataError("data.root: " + root +
                    (std::filesystem::exists(root, error) ? ": not a folder" : ": no such folder") +
                    " (set data.root to the cifar-10-batches-bin folder of the binary version, "
                    "cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, "
                    "unpacked)");
  if (!std::filesystem::is_regular_file(path, error))
    throw DataError("data.root: " + root + " has no file " + name +
                    " (set data.root to the cifar-10-batches-bin folder)");
  const uint64_t size = std::filesystem::file_size(path, error);
  if (error || size > kMaxBatchBytes)
    throw DataError(path + ": " + std::to_string(size) +
                    " bytes is not a CIFAR-10 batch (far too large; another file? replace it)");
  std::vector<uint8_t> bytes(size);
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
    throw DataError(path + ": cannot read the file");
  return bytes;
}

CifarImagesAndLabels read_batches(const std::string& root, const std::vector<std::string>& names) {
  CifarRecords records;
  for (const auto& name : names)
    decode_cifar_batch(read_batch_file(root, name), root + "/" + name, records);
  const int64_t count = static_cast<int64_t>(records.labels.size());
  CifarImagesAndLabels out;
  out.labels = torch::from_blob(records.labels.data(), {count}, torch::kUInt8).to(torch::kLong);
  out.images =
      torch::from_blob(records.pixels.data(), {count, 3, kCifarSide, kCifarSide}, torch::kUInt8)
          .to(torch::kFloat32)
          .div_(255.0);
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
    CifarImagesAndLabels train =
        read_batches(options_.root, {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                                     "data_batch_4.bin", "data_batch_5.bin"});
    CifarImagesAndLabels test = read_batches(options_.root, {"test_batch.bin"});
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
