#include "cli/crawl_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace provarc {

CrawlLock::~CrawlLock() {
  if (fd_ >= 0) close(fd_);
}

std::string CrawlLock::path_for(const std::string& db_path) { return db_path + ".crawl-lock"; }

Result<bool> CrawlLock::acquire(const std::string& db_path) {
  const std::string path = path_for(db_path);
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
  if (fd < 0) return fail("open " + path + ": " + std::strerror(errno));
  int rc;
  do {
    rc = flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int error = errno;
    close(fd);
    if (error == EWOULDBLOCK) return false;
    return fail("flock " + path + ": " + std::strerror(error));
  }
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
  return true;
}

}  // namespace provarc
