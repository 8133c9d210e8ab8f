// An advisory file lock.
#include "framework/core/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "framework/core/stop_request.h"

namespace aelab {

FileLock::FileLock(const std::string& path, const std::function<void()>& on_wait) {
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return;
  bool waited = false;
  // Polled rather than blocking, so that Ctrl-C (whose handler lets calls restart) is heard.
  while (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {  // no locks on this file system
      close(fd_);
      fd_ = -1;
      return;
    }
    if (!waited && on_wait) on_wait();
    waited = true;
    if (stop_requested()) {
      close(fd_);
      fd_ = -1;
      throw_if_stop_requested("while waiting for " + path);
    }
    usleep(100 * 1000);
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) close(fd_);  // closing the last descriptor releases the lock
}

}  // namespace aelab
