// An advisory lock on a file (flock), for work that processes sharing a folder would otherwise
// do twice at once, such as filling a cache. The kernel releases it when its holder ends, however
// it ends, so a killed holder never leaves it taken.
#pragma once

#include <functional>
#include <string>

namespace aelab {

class FileLock {
 public:
  /// Takes the lock of `path` (created when absent), waiting while another process holds it;
  /// `on_wait` is called once, before a wait. A stop request while waiting throws Interrupted.
  /// Where the file cannot be made or locked (a read-only folder, a file system without locks),
  /// goes on without the lock: the work is then merely done twice.
  explicit FileLock(const std::string& path, const std::function<void()>& on_wait = {});
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  /// Whether this process holds the lock.
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace aelab
