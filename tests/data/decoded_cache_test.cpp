// The decoded-IDX cache: written once, mapped after, keyed by content, repaired when damaged.
#include "framework/data/decoded_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "framework/core/error.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> entries(const std::string& cache) {
  std::vector<fs::path> found;
  if (fs::is_directory(cache + "/decoded"))
    for (const auto& entry : fs::directory_iterator(cache + "/decoded")) found.push_back(entry);
  return found;
}

std::vector<uint8_t> pattern(size_t n, uint8_t offset) {
  std::vector<uint8_t> bytes(n);
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(i * 7 + offset);
  return bytes;
}

TEST(DecodedCache, DecodesOnceThenMapsTheSameArray) {
  testing::ScratchDir dir;
  const std::string file = dir.file("images.gz"), cache = dir.file("cache");
  testing::write_idx(file, {5, 3, 4}, pattern(60, 1), /*gzip=*/true);
  torch::Tensor first = read_idx_tensor(file, 3, cache);
  ASSERT_EQ(entries(cache).size(), 1u);
  EXPECT_EQ(first.sizes(), (std::vector<int64_t>{5, 3, 4}));
  EXPECT_EQ(first.dtype(), torch::kUInt8);
  EXPECT_EQ(first.flatten()[59].item<int>(), static_cast<uint8_t>(59 * 7 + 1));
  const auto written = fs::last_write_time(entries(cache)[0]);
  torch::Tensor second = read_idx_tensor(file, 3, cache);
  EXPECT_TRUE(torch::equal(first, second));
  EXPECT_EQ(fs::last_write_time(entries(cache)[0]), written) << "a cached entry is not rewritten";
  // A write into the mapped tensor stays in this process: the entry is unchanged.
  second.fill_(0);
  EXPECT_TRUE(torch::equal(read_idx_tensor(file, 3, cache), first));
}

TEST(DecodedCache, NewContentGetsItsOwnEntry) {
  testing::ScratchDir dir;
  const std::string file = dir.file("images.gz"), cache = dir.file("cache");
  testing::write_idx(file, {2, 2, 2}, pattern(8, 1), true);
  read_idx_tensor(file, 3, cache);
  testing::write_idx(file, {2, 2, 2}, pattern(8, 2), true);  // same size, new bytes
  torch::Tensor changed = read_idx_tensor(file, 3, cache);
  EXPECT_EQ(entries(cache).size(), 2u);
  EXPECT_EQ(changed.flatten()[0].item<int>(), 2);
}

TEST(DecodedCache, DamagedEntryIsDecodedAgainAndRepaired) {
  testing::ScratchDir dir;
  const std::string file = dir.file("labels.gz"), cache = dir.file("cache");
  testing::write_idx(file, {10}, pattern(10, 3), true);
  torch::Tensor good = read_idx_tensor(file, 1, cache);
  const fs::path entry = entries(cache)[0];
  fs::resize_file(entry, fs::file_size(entry) - 3);  // truncated, as by a full disk
  EXPECT_TRUE(torch::equal(read_idx_tensor(file, 1, cache), good));
  EXPECT_EQ(fs::file_size(entry), 8u + 10u) << "the entry is rewritten whole";
  std::ofstream(entry, std::ios::binary) << "junk";
  EXPECT_TRUE(torch::equal(read_idx_tensor(file, 1, cache), good));
}

TEST(DecodedCache, PlainFilesAndNoCacheWriteNothing) {
  testing::ScratchDir dir;
  const std::string plain = dir.file("plain"), gz = dir.file("gz.gz"), cache = dir.file("cache");
  testing::write_idx(plain, {4}, pattern(4, 0), false);
  testing::write_idx(gz, {4}, pattern(4, 0), true);
  EXPECT_TRUE(torch::equal(read_idx_tensor(plain, 1, cache), read_idx_tensor(gz, 1, "")));
  EXPECT_TRUE(entries(cache).empty());
}

TEST(DecodedCache, BadFilesAreStillRefusedByName) {
  testing::ScratchDir dir;
  const std::string file = dir.file("images.gz"), cache = dir.file("cache");
  testing::write_idx(file, {2, 2, 2}, pattern(8, 0), true);
  // Three dimensions where one is expected.
  const std::string message =
      testing::message_of<DataError>([&] { read_idx_tensor(file, 1, cache); });
  EXPECT_NE(message.find(file), std::string::npos) << message;
  EXPECT_THROW(read_idx_tensor(dir.file("missing.gz"), 1, cache), DataError);
  // A cached entry of another dimension count is not taken for this one either.
  read_idx_tensor(file, 3, cache);
  EXPECT_THROW(read_idx_tensor(file, 1, cache), DataError);
}

}  // namespace
}  // namespace aelab
