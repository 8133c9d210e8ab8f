// What killed writers leave: this host's temporaries of dead processes are removed, those of live
// ones kept; another host's (or container's) are kept until they are a day old.
#include "framework/sweep/checks/leftovers.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "framework/core/host.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

namespace fs = std::filesystem;

pid_t dead_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

TEST(Leftovers, TemporariesOfDeadWritersHereAndDayOldOnesElsewhereAreRemoved) {
  testing::ScratchDir dir;
  const std::string here = process_host();
  const std::string dead = dir.write("a.h5.tmp-" + std::to_string(dead_pid()) + "-0-" + here, "x");
  const std::string alive = dir.write("b.h5.tmp-" + std::to_string(getpid()) + "-1-" + here, "x");
  const std::string elsewhere = dir.write("c.h5.tmp-1-0-" + here + "+pidns1", "x");
  const std::string old_elsewhere = dir.write("d.h5.tmp-1-0-node7", "x");
  fs::last_write_time(old_elsewhere, fs::file_time_type::clock::now() - std::chrono::hours(49));
  const std::string not_temporary = dir.write("e.h5", "x");
  remove_orphaned_temporaries(dir.path());
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive));
  EXPECT_TRUE(fs::exists(elsewhere));
  EXPECT_FALSE(fs::exists(old_elsewhere));
  EXPECT_TRUE(fs::exists(not_temporary));
}

}  // namespace
}  // namespace aelab
