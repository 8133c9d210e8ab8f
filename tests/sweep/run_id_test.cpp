// Run ids: a hash of the normalized job config, the same however a source run is named.
#include <gtest/gtest.h>

#include "framework/core/yaml_io.h"
#include "framework/sweep/jobs/job.h"

namespace aelab {
namespace {

std::string id_with(const std::string& key, const std::string& reference) {
  const size_t dot = key.find('.');
  return run_id_of(parse_yaml(
      "seed: 0\n" + key.substr(0, dot) + ":\n  " + key.substr(dot + 1) + ": " + reference + "\n",
      "test"));
}

TEST(RunId, ASourceRunHashesAsItsIdHoweverItsPathIsWritten) {
  for (const std::string key : {"transfer.from", "trainer.init_from"}) {
    const std::string by_id = id_with(key, "0123456789ab");
    EXPECT_EQ(id_with(key, "results/bottleneck/runs/0123456789ab.h5"), by_id) << key;
    EXPECT_EQ(id_with(key, "/home/me/aelab/results/bottleneck/runs/0123456789ab.h5"), by_id) << key;
    EXPECT_EQ(id_with(key, "./elsewhere/0123456789ab.h5"), by_id) << key;
    // Another run, or a file named otherwise, is another source.
    EXPECT_NE(id_with(key, "results/bottleneck/runs/0123456789ac.h5"), by_id) << key;
    EXPECT_NE(id_with(key, "results/best.h5"), id_with(key, "best"));
  }
}

}  // namespace
}  // namespace aelab
