// tools/mnist_json_to_idx.py on a small set of digits the test writes: a stratified, deterministic
// split into IDX files that data=mnist reads; and data=mnist without the files names the script.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "framework/core/error.h"
#include "framework/core/source_tree.h"
#include "framework/core/yaml_io.h"
#include "framework/data/dataset.h"
#include "framework/data/idx_file.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

/// Digit d's i-th image holds (d * 10 + i) / 255 everywhere.
void write_digits(const std::string& folder, int64_t per_digit) {
  for (int digit = 0; digit < 10; ++digit) {
    std::ofstream out(folder + "/" + std::to_string(digit) + ".json");
    out << "{ \"data\": [";
    for (int64_t i = 0; i < per_digit; ++i)
      for (int p = 0; p < 784; ++p)
        out << (i || p ? "," : "") << static_cast<double>(digit * 10 + i) / 255.0;
    out << "]}";
  }
}

testing::CommandResult convert(const std::string& digits, const std::string& out) {
  return testing::run_command("/usr/bin/python3 " + source_tree() + "/tools/mnist_json_to_idx.py " +
                              digits + " " + out);
}

TEST(MnistConverter, WritesAStratifiedDeterministicSplit) {
  testing::ScratchDir dir;
  std::filesystem::create_directories(dir.file("digits"));
  write_digits(dir.file("digits"), 5);
  auto result = convert(dir.file("digits"), dir.file("idx"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  IdxArray train = read_idx_file(dir.file("idx/train-images-idx3-ubyte.gz"));
  IdxArray train_labels = read_idx_file(dir.file("idx/train-labels-idx1-ubyte.gz"));
  IdxArray test_labels = read_idx_file(dir.file("idx/t10k-labels-idx1-ubyte.gz"));
  EXPECT_EQ(train.dims, (std::vector<int64_t>{40, 28, 28}));
  EXPECT_EQ(test_labels.dims, (std::vector<int64_t>{10}));
  std::vector<int> per_digit(10, 0);
  for (uint8_t label : test_labels.bytes) ++per_digit[label];
  EXPECT_EQ(per_digit, std::vector<int>(10, 1));  // one test image of every digit
  for (int64_t n = 0; n < 40; ++n) {              // pixels round-trip and stay with their label
    uint8_t pixel = train.bytes[static_cast<size_t>(n * 784)];
    EXPECT_EQ(pixel / 10, train_labels.bytes[static_cast<size_t>(n)]);
  }
  ASSERT_EQ(convert(dir.file("digits"), dir.file("again")).exit_code, 0);
  for (const char* name : {"train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
    EXPECT_EQ(read_idx_file(dir.file(std::string("idx/") + name)).bytes,
              read_idx_file(dir.file(std::string("again/") + name)).bytes);
  ConfigNode section = parse_yaml("name: mnist\nroot: " + dir.file("idx") + "\n", "data.yaml");
  DataSplits data = dataset_registry().at("mnist").make(section, {})->load();
  EXPECT_EQ(data.train_x.size(0) + data.val_x.size(0), 40);
  EXPECT_EQ(data.classes().size(), 10u);
  EXPECT_TRUE(data.has_classes());
}

TEST(MnistConverter, BadFilesAndMissingDataAreOneLine) {
  testing::ScratchDir dir;
  std::filesystem::create_directories(dir.file("digits"));
  write_digits(dir.file("digits"), 1);
  dir.write("digits/3.json", "{\"data\": [0.5, 0.5]}");
  auto result = convert(dir.file("digits"), dir.file("idx"));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("error: " + dir.file("digits/3.json") +
                               ": 2 values is not a whole number of 784-pixel images"),
            std::string::npos)
      << result.output;
  ConfigNode section = parse_yaml("name: mnist\nroot: " + dir.file("none") + "\n", "data.yaml");
  {
    const std::string message = testing::message_of<DataError>(
        [&] { dataset_registry().at("mnist").make(section, {})->load(); });
    EXPECT_NE(message.find("run tools/fetch_mnist.sh"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace aelab
