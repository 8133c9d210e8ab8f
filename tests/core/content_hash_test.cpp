// The content hash of large arrays (cache keys): every byte and the length count, and its values
// stay what they were, so cache files keep their names.
#include <gtest/gtest.h>

#include <string>

#include "framework/core/hashing.h"

namespace aelab {
namespace {

TEST(ContentHash64, EveryByteCountsAndTheLengthToo) {
  const std::string zeros(100, '\0');
  EXPECT_NE(content_hash64(zeros.data(), 99), content_hash64(zeros.data(), 100));
  EXPECT_NE(content_hash64(zeros.data(), 0), content_hash64(zeros.data(), 1));
  for (size_t at = 0; at < 100; ++at) {
    std::string one = zeros;
    one[at] = 1;
    EXPECT_NE(content_hash64(one.data(), 100), content_hash64(zeros.data(), 100)) << at;
  }
  // Stable across platforms and versions, so cache files keep their names: 32 bytes through the
  // lanes and 7 after them, against the value this code gave when it was written.
  const std::string text = "aelab content hash, 40 bytes long......";
  EXPECT_EQ(hex_digits(content_hash64(text.data(), text.size())), "6473a0af3ea5246a");
}

}  // namespace
}  // namespace aelab
