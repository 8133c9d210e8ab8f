// How far work over many images has come: counted on across sets, said at most once a second.
#include "framework/experiment/images_progress.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "framework/experiment/experiment.h"

namespace aelab {
namespace {

TEST(ImagesProgress, CountsOnAcrossSetsAtMostOnceASecond) {
  std::vector<std::string> said;
  RunContext context;
  context.on_activity = [&](const std::string& activity) { said.push_back(activity); };
  ImagesProgress progress(context, "scoring", 30);
  progress.after(0)(5, 10);  // within its first second: nothing yet
  EXPECT_TRUE(said.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  progress.after(10)(5, 10);  // the second set's 5th image: 15 of the three sets' 30
  ASSERT_EQ(said.size(), 1u);
  EXPECT_EQ(said[0].rfind("scoring: 15 of 30 images, about ", 0), 0u) << said[0];
  EXPECT_EQ(said[0].substr(said[0].size() - 5), " left") << said[0];
  progress.after(10)(8, 10);  // under a second later: not said
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  progress.after(20)(10, 10);  // all done: the work's own next line says what follows
  EXPECT_EQ(said.size(), 1u);
  // One set alone: its own total.
  ImagesProgress one(context, "estimating");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  one.after(0)(40, 100);
  ASSERT_EQ(said.size(), 2u);
  EXPECT_EQ(said[1].rfind("estimating: 40 of 100 images, about ", 0), 0u) << said[1];
}

}  // namespace
}  // namespace aelab
