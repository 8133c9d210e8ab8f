// The advisory file lock: a second process waits for the holder, says so once, and takes the lock
// when the holder lets go or dies; a stop request ends the wait.
#include "framework/core/file_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <optional>
#include <string>

#include "framework/core/stop_request.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

/// The exit code of child `pid`, or -1 when a signal ended it.
int exit_code_of(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

char read_one(int fd) {
  char c = 0;
  return read(fd, &c, 1) == 1 ? c : '?';
}

TEST(FileLock, ASecondProcessWaitsForTheHolderAndSaysSoOnce) {
  testing::ScratchDir dir;
  const std::string path = dir.file("cache.lock");
  int go[2], events[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(events), 0);
  // Forked before this process takes the lock: a child would otherwise share its descriptor.
  const pid_t child = fork();
  if (child == 0) {
    read_one(go[0]);
    int waits = 0;
    FileLock second(path, [&] {
      ++waits;
      (void)!write(events[1], "w", 1);
    });
    (void)!write(events[1], second.held() && waits == 1 ? "g" : "x", 1);
    _exit(0);
  }
  close(events[1]);  // a child that dies then fails the reads below instead of hanging them
  std::optional<FileLock> holder(std::in_place, path);
  ASSERT_TRUE(holder->held());
  ASSERT_EQ(write(go[1], "s", 1), 1);
  EXPECT_EQ(read_one(events[0]), 'w');  // it waits while this process holds the lock...
  usleep(300 * 1000);                   // (and keeps waiting, saying nothing more)
  holder.reset();
  EXPECT_EQ(read_one(events[0]), 'g');  // ... and takes it once let go
  EXPECT_EQ(exit_code_of(child), 0);
}

TEST(FileLock, AHolderKilledLeavesTheLockFree) {
  testing::ScratchDir dir;
  const std::string path = dir.file("cache.lock");
  int taken[2];
  ASSERT_EQ(pipe(taken), 0);
  const pid_t child = fork();
  if (child == 0) {
    FileLock held(path);
    (void)!write(taken[1], "t", 1);
    pause();
    _exit(0);
  }
  close(taken[1]);
  ASSERT_EQ(read_one(taken[0]), 't');
  kill(child, SIGKILL);
  EXPECT_EQ(exit_code_of(child), -1);
  bool waited = false;
  FileLock after(path, [&] { waited = true; });
  EXPECT_TRUE(after.held());
  EXPECT_FALSE(waited);
}

TEST(FileLock, AStopRequestEndsTheWait) {
  testing::ScratchDir dir;
  const std::string path = dir.file("cache.lock");
  FileLock holder(path);
  const pid_t child = fork();
  if (child == 0) {
    request_stop(SIGINT);
    try {
      FileLock second(path);
    } catch (const Interrupted& e) {
      _exit(std::string(e.what()) == "interrupted by SIGINT while waiting for " + path ? 3 : 4);
    }
    _exit(0);
  }
  EXPECT_EQ(exit_code_of(child), 3);
}

TEST(FileLock, AFolderWithoutWriteAccessGoesOnWithoutTheLock) {
  FileLock none("/proc/aelab-no-such.lock");
  EXPECT_FALSE(none.held());
}

}  // namespace
}  // namespace aelab
