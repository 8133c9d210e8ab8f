// IDX reading (gzip and plain), corrupt files, and the dataset split.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "framework/core/error.h"
#include "framework/core/yaml_io.h"
#include "framework/data/dataset.h"
#include "framework/data/idx_file.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

std::string error_of(const std::string& path) {
  return testing::message_of<DataError>([&] { read_idx_file(path); });
}

TEST(IdxFile, ReadsPlainAndGzip) {
  testing::ScratchDir dir;
  std::vector<uint8_t> bytes{1, 2, 3, 4, 5, 6};
  testing::write_idx(dir.file("plain"), {3, 2}, bytes, false);
  testing::write_idx(dir.file("packed.gz"), {3, 2}, bytes, true);
  for (const auto& name : {"plain", "packed.gz"}) {
    IdxArray array = read_idx_file(dir.file(name));
    EXPECT_EQ(array.dims, (std::vector<int64_t>{3, 2}));
    EXPECT_EQ(array.bytes, bytes);
  }
}

TEST(IdxFile, CorruptFilesGiveClearErrors) {
  testing::ScratchDir dir;
  testing::write_idx(dir.file("short"), {10, 2}, {1, 2, 3}, false);
  EXPECT_EQ(error_of(dir.file("short")),
            dir.file("short") +
                ": IDX header promises 20 bytes but the file is truncated with 3 "
                "bytes; replace the file");
  testing::write_idx(dir.file("long"), {1, 2}, {1, 2, 3}, false);
  EXPECT_NE(error_of(dir.file("long")).find("has trailing data after them"), std::string::npos);
  dir.write("magic", "PK\x03\x04 not idx");
  EXPECT_EQ(error_of(dir.file("magic")),
            dir.file("magic") + ": not an IDX file (bad magic number; expected 00 00 08 NN)");
  testing::write_idx(dir.file("good.gz"), {100, 10}, std::vector<uint8_t>(1000, 7), true);
  std::ifstream in(dir.file("good.gz"), std::ios::binary);
  std::string gz((std::istreambuf_iterator<char>(in)), {});
  dir.write("cut.gz", gz.substr(0, gz.size() / 2));
  EXPECT_NE(error_of(dir.file("cut.gz")).find("truncated gzip data"), std::string::npos);
  EXPECT_EQ(error_of(dir.file("absent")), dir.file("absent") + ": cannot open data file");
}

TEST(IdxFile, HeadersAreCheckedBeforeTheDataIsRead) {
  testing::ScratchDir dir;
  // Four dimensions of 2^32 - 1: their product overflows 64 bits.
  testing::write_idx(dir.file("overflow"), {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {},
                     false);
  EXPECT_EQ(
      error_of(dir.file("overflow")),
      dir.file("overflow") + ": IDX header claims more than 16 GiB of data (corrupt header?)");
  testing::write_idx(dir.file("huge.gz"), {1 << 20, 1 << 20, 1 << 20}, {1, 2, 3}, true);
  EXPECT_NE(error_of(dir.file("huge.gz")).find("more than 16 GiB"), std::string::npos);
  testing::write_idx(dir.file("zero"), {5, 0, 28}, {}, false);
  EXPECT_EQ(error_of(dir.file("zero")),
            dir.file("zero") + ": IDX dimension 2 is 0, an empty array; replace the file");
  testing::write_idx(dir.file("nodims"), {}, {}, false);
  EXPECT_NE(error_of(dir.file("nodims")).find("IDX header with 0 dimensions"), std::string::npos);
  testing::write_idx(dir.file("flat"), {5, 6}, std::vector<uint8_t>(30, 1), false);
  EXPECT_EQ(testing::message_of<DataError>([&] { read_idx_file(dir.file("flat"), 3); }),
            dir.file("flat") + ": expected 3 dimensions (count, rows, columns), found 2");
  testing::write_idx(dir.file("type"), {2}, {1, 2}, false);
  {
    std::fstream patch(dir.file("type"), std::ios::in | std::ios::out | std::ios::binary);
    patch.seekp(2);
    patch.put(0x0D);  // float elements
  }
  EXPECT_NE(error_of(dir.file("type")).find("IDX element type 0x0D is not supported"),
            std::string::npos);
  testing::write_idx(dir.file("pair"), {2}, {1, 2}, false);
  testing::write_idx(dir.file("pair.gz"), {3}, {1, 2, 3}, true);
  EXPECT_EQ(testing::message_of<DataError>([&] { find_idx_file(dir.path(), "pair", "data.root"); }),
            "data.root: " + dir.path() +
                " has both pair and pair.gz; remove one, so it is clear "
                "which is read");
  testing::write_idx(dir.file("cut_header"), {10, 10, 10}, {}, false);
  std::filesystem::resize_file(dir.file("cut_header"), 9);
  EXPECT_NE(error_of(dir.file("cut_header")).find("truncated IDX header"), std::string::npos);
}

TEST(IdxFile, CompressedFilesLargerThanTheirHeaderStopAtTheHeadersSize) {
  testing::ScratchDir dir;
  // A header for 20 bytes followed by 64 MiB of zeros that compress to about 64 KiB: reading
  // stops one byte past the promised 20.
  testing::write_idx(dir.file("bomb.gz"), {10, 2}, std::vector<uint8_t>(64 << 20, 0), true);
  EXPECT_LT(std::filesystem::file_size(dir.file("bomb.gz")), 1u << 20);
  EXPECT_EQ(error_of(dir.file("bomb.gz")),
            dir.file("bomb.gz") +
                ": IDX header promises 20 bytes but the file has trailing data after them; "
                "replace the file");
}

DataSplits load(const std::string& yaml) {
  ConfigNode section = parse_yaml(yaml, "test");
  return dataset_registry().at("idx").make(section, {})->load();
}

TEST(IdxDataset, LoadsScalesSubsetsAndSplitsDeterministically) {
  testing::ScratchDir dir;
  testing::write_toy_idx_dataset(dir.path(), 50, 20, 6);
  std::string base = "name: idx\nroot: " + dir.path() + "\n";
  DataSplits data = load(base + "val_fraction: 0.2\n");
  EXPECT_EQ(data.train_x.sizes(), (std::vector<int64_t>{40, 1, 6, 6}));
  EXPECT_EQ(data.val_x.size(0), 10);
  EXPECT_EQ(data.test_x.size(0), 20);
  EXPECT_EQ(data.sample_shape(), (std::vector<int64_t>{1, 6, 6}));
  EXPECT_GE(data.train_x.min().item<float>(), 0.0f);
  EXPECT_LE(data.train_x.max().item<float>(), 1.0f);
  EXPECT_TRUE(torch::equal(data.val_x, load(base + "val_fraction: 0.2\n").val_x));
  EXPECT_FALSE(torch::equal(data.val_x, load(base + "val_fraction: 0.2\nsplit_seed: 1\n").val_x));
  DataSplits subset = load(base + "subset: 30\nval_fraction: 0.1\n");
  EXPECT_EQ(subset.train_x.size(0) + subset.val_x.size(0), 30);
  EXPECT_THROW(load(base + "subset: 51\n"), ConfigError);
}

TEST(IdxDataset, LabelsThatAreNotZeroToKMinusOneAreNumberedAndNamedByTheirValues) {
  testing::ScratchDir dir;
  testing::write_toy_idx_dataset(dir.path(), 6, 3, 4);
  testing::write_idx(dir.file("train-labels-idx1-ubyte.gz"), {6}, {255, 0, 1, 255, 1, 0}, true);
  testing::write_idx(dir.file("t10k-labels-idx1-ubyte"), {3}, {1, 255, 0}, false);
  DataSplits data = load("name: idx\nroot: " + dir.path() + "\nval_fraction: 0\n");
  EXPECT_EQ(label_vector(data.train_y), (std::vector<int64_t>{2, 0, 1, 2, 1, 0}));
  EXPECT_EQ(label_vector(data.test_y), (std::vector<int64_t>{1, 2, 0}));
  EXPECT_EQ(data.label_values, (std::vector<int64_t>{0, 1, 255}));
  EXPECT_EQ(data.classes(), (std::vector<std::string>{"0", "1", "255"}));
  // The classes are the files', whatever a subset takes: labels 3 and 255, in no test image and
  // in no training image of the subset, are classes all the same (0, 1 alone would be 0..K-1).
  testing::write_idx(dir.file("train-labels-idx1-ubyte.gz"), {6}, {0, 1, 0, 255, 3, 0}, true);
  testing::write_idx(dir.file("t10k-labels-idx1-ubyte"), {3}, {1, 0, 1}, false);
  DataSplits subset = load("name: idx\nroot: " + dir.path() + "\nval_fraction: 0\nsubset: 3\n");
  EXPECT_EQ(label_vector(subset.train_y), (std::vector<int64_t>{0, 1, 0}));
  EXPECT_EQ(subset.label_values, (std::vector<int64_t>{0, 1, 3, 255}));
  // Labels 0..K-1 stay as they are, with no names.
  testing::write_idx(dir.file("train-labels-idx1-ubyte.gz"), {6}, {2, 0, 1, 2, 1, 0}, true);
  testing::write_idx(dir.file("t10k-labels-idx1-ubyte"), {3}, {1, 2, 0}, false);
  DataSplits dense = load("name: idx\nroot: " + dir.path() + "\nval_fraction: 0\n");
  EXPECT_EQ(label_vector(dense.train_y), (std::vector<int64_t>{2, 0, 1, 2, 1, 0}));
  EXPECT_TRUE(dense.label_values.empty());
  EXPECT_TRUE(dense.class_names.empty());
}

TEST(IdxDataset, MismatchedOrMissingFilesAreDataErrors) {
  testing::ScratchDir dir;
  testing::write_toy_idx_dataset(dir.path(), 10, 5, 4);
  testing::write_idx(dir.file("t10k-labels-idx1-ubyte"), {4}, {1, 2, 3, 4}, false);
  {
    const std::string message =
        testing::message_of<DataError>([&] { load("name: idx\nroot: " + dir.path() + "\n"); });
    EXPECT_NE(message.find("has 5 images but"), std::string::npos) << message;
  }
  EXPECT_EQ(testing::message_of<DataError>(
                [&] { load("name: idx\nroot: " + dir.file("nowhere") + "\n"); }),
            "data.root: " + dir.file("nowhere") +
                ": no such folder (set data.root to the folder that holds the IDX files)");
  testing::ScratchDir empty;
  EXPECT_EQ(
      testing::message_of<DataError>([&] { load("name: idx\nroot: " + empty.path() + "\n"); }),
      "data.root: " + empty.path() +
          " has no train-images-idx3-ubyte[.gz] (set data.root to "
          "the folder that holds the IDX files)");
  // Test images of another size than the training images: both sizes, and the fix.
  testing::ScratchDir sizes;
  testing::write_toy_idx_dataset(sizes.path(), 10, 5, 4);
  testing::write_idx(sizes.file("t10k-images-idx3-ubyte"), {5, 3, 3}, std::vector<uint8_t>(45, 9),
                     false);
  EXPECT_EQ(
      testing::message_of<DataError>([&] { load("name: idx\nroot: " + sizes.path() + "\n"); }),
      sizes.path() +
          ": the training images are [1, 4, 4] and the test images [1, 3, 3] (a model is built for "
          "one "
          "size: give both sets at the same size)");
}

}  // namespace
}  // namespace aelab

namespace aelab {
namespace {

/// Writes CIFAR-10 batch files of `per_file` records; pixel p of image n is (n + p) % 256.
void write_cifar(const std::string& folder, int64_t per_file, int64_t test_count) {
  auto write = [&](const std::string& name, int64_t count, int64_t first) {
    std::string bytes;
    for (int64_t n = first; n < first + count; ++n) {
      bytes += static_cast<char>(n % 10);
      for (int64_t p = 0; p < 3072; ++p) bytes += static_cast<char>((n + p) % 256);
    }
    testing::ScratchDir::write_file(folder + "/" + name, bytes);
  };
  for (int i = 1; i <= 5; ++i)
    write("data_batch_" + std::to_string(i) + ".bin", per_file, (i - 1) * per_file);
  write("test_batch.bin", test_count, 1000);
}

TEST(Cifar10Dataset, ReadsPlanesLabelsAndBatchesInOrder) {
  testing::ScratchDir dir;
  write_cifar(dir.path(), 4, 3);
  ConfigNode section =
      parse_yaml("name: cifar10\nroot: " + dir.path() + "\nval_fraction: 0\n", "t");
  DataSplits data = dataset_registry().at("cifar10").make(section, {})->load();
  EXPECT_EQ(data.train_x.sizes(), (std::vector<int64_t>{20, 3, 32, 32}));
  EXPECT_EQ(data.test_x.sizes(), (std::vector<int64_t>{3, 3, 32, 32}));
  EXPECT_EQ(data.train_y[13].item<int64_t>(), 3);
  // Image 13: red plane starts at pixel 0, green at 1024, blue at 2048.
  EXPECT_FLOAT_EQ(data.train_x[13][0][0][0].item<float>(), 13 / 255.0f);
  EXPECT_FLOAT_EQ(data.train_x[13][1][0][0].item<float>(), ((13 + 1024) % 256) / 255.0f);
  EXPECT_FLOAT_EQ(data.train_x[13][2][0][1].item<float>(), ((13 + 2049) % 256) / 255.0f);
}

TEST(Cifar10Dataset, TruncatedOrMissingBatchesAreDataErrors) {
  testing::ScratchDir dir;
  write_cifar(dir.path(), 2, 2);
  testing::ScratchDir::write_file(dir.file("data_batch_3.bin"), std::string(100, '\0'));
  ConfigNode section = parse_yaml("name: cifar10\nroot: " + dir.path() + "\n", "t");
  EXPECT_EQ(testing::message_of<DataError>(
                [&] { dataset_registry().at("cifar10").make(section, {})->load(); }),
            dir.file("data_batch_3.bin") +
                ": 100 bytes is not a whole number of 3073-byte CIFAR-10 "
                "records (truncated or another file? replace it)");
  auto error_of_load = [&] {
    return testing::message_of<DataError>(
        [&] { dataset_registry().at("cifar10").make(section, {})->load(); });
  };
  testing::ScratchDir::write_file(dir.file("data_batch_3.bin"), "");
  EXPECT_NE(error_of_load().find("data_batch_3.bin: 0 bytes is not a whole number"),
            std::string::npos);
  // Larger than any batch: refused from its size, before reading.
  testing::ScratchDir::write_file(dir.file("data_batch_3.bin"), "");
  std::filesystem::resize_file(dir.file("data_batch_3.bin"), (uint64_t{1} << 30) + 3073);
  EXPECT_NE(error_of_load().find("is not a CIFAR-10 batch (far too large"), std::string::npos);
  std::filesystem::remove(dir.file("data_batch_3.bin"));
  std::filesystem::create_directory(dir.file("data_batch_3.bin"));  // a folder in the way
  EXPECT_EQ(error_of_load(), "data.root: " + dir.path() +
                                 " has no file data_batch_3.bin (set data.root to the "
                                 "cifar-10-batches-bin folder)");
  std::filesystem::remove(dir.file("data_batch_3.bin"));
  std::filesystem::remove(dir.file("test_batch.bin"));
  testing::ScratchDir::write_file(dir.file("data_batch_3.bin"), std::string(3073, '\1'));
  EXPECT_THROW(dataset_registry().at("cifar10").make(section, {})->load(), DataError);
}

}  // namespace
}  // namespace aelab
