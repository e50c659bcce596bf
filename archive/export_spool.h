// archive/export_spool.h: what a WARC export must remember from record to record (the first
// record of each payload, each URL's last record with a payload, the index lines) kept in a
// private temporary SQLite database instead of in memory, so that an export's memory does not
// grow with the archive. Internal to archive/.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace provarc {

namespace sql {
class Connection;  // archive/sqlite.h
}

// A record written earlier that a revisit may refer to.
struct WarcRecordRef {
  std::string uri;
  std::string date;
  std::string record_id;
};

// Not thread-safe. The database is SQLite's "private temporary" one (an empty file name): it
// lives in SQLite's temporary directory ($SQLITE_TMPDIR, $TMPDIR, /var/tmp, /usr/tmp or /tmp),
// holds at most its 8 MiB page cache in memory, and is deleted when the spool is destroyed.
class ExportSpool {
 public:
  // Fails when SQLite cannot create the database (out of memory or temporary space).
  static Result<std::unique_ptr<ExportSpool>> open();
  ~ExportSpool();
  ExportSpool(const ExportSpool&) = delete;
  ExportSpool& operator=(const ExportSpool&) = delete;

  // The first record remembered with `payload_digest`, nullopt when none.
  Result<std::optional<WarcRecordRef>> payload(std::string_view payload_digest);
  // Remembers `record` as holding `payload_digest` unless a record already does (the first stays).
  Status remember_payload(std::string_view payload_digest, const WarcRecordRef& record);

  // The last record remembered for `url`, nullopt when none.
  Result<std::optional<WarcRecordRef>> latest(std::string_view url);
  // Remembers `record` as `url`'s last record, replacing the one before.
  Status remember_latest(std::string_view url, const WarcRecordRef& record);

  Status add_index_line(std::string_view line);
  // Calls `write` with every index line in bytewise order (as `LC_ALL=C sort` orders them); the
  // sort spills to temporary files past the cache. Stops at and returns the first failure.
  Status for_each_index_line(const std::function<Status(std::string_view)>& write);

 private:
  explicit ExportSpool(std::unique_ptr<sql::Connection> db);
  Result<std::optional<WarcRecordRef>> lookup(const char* sql, std::string_view key);
  Status store(const char* sql, std::string_view key, const WarcRecordRef& record);

  std::unique_ptr<sql::Connection> db_;
};

}  // namespace provarc
