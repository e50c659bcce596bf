// cli/crawl_lock.h: one crawl per archive. An exclusive flock(2) on "<db>.crawl-lock", which the
// kernel releases however the process ends. Telling "another crawl holds it" (exit 4, nothing
// wrong) from "the lock file cannot be opened" (exit 1, something is wrong: a root-owned file, a
// read-only directory, a directory in its place) is the point: cron and systemd count exit 4 as
// success, so a lock that can never be taken must not look like one that is taken.
#pragma once

#include <string>

#include "common/result.h"

namespace provarc {

class CrawlLock {
 public:
  CrawlLock() = default;
  ~CrawlLock();
  CrawlLock(const CrawlLock&) = delete;
  CrawlLock& operator=(const CrawlLock&) = delete;

  // The lock file of the archive at `db_path`: "<db_path>.crawl-lock".
  static std::string path_for(const std::string& db_path);

  // Takes the lock of the archive at `db_path`, creating the lock file when missing. Returns true
  // when taken (held until this object is destroyed), false when another process holds it
  // (flock says EWOULDBLOCK). Fails with the system error when the file cannot be opened or
  // locked: "open <path>: Permission denied", "flock <path>: ...".
  Result<bool> acquire(const std::string& db_path);

 private:
  int fd_ = -1;
};

}  // namespace provarc
