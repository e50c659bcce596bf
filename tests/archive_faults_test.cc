// The archive under bad input and faults: schema versions and migrations, corrupt and foreign
// files, read-only paths, a locked database, a full disk. Each ends with a clear message naming
// the file, and a database that passes integrity_check and keeps what was committed.
#include <sqlite3.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "archive/archive.h"
#include "archive/schema.h"
#include "archive/sqlite.h"
#include "tests/support/archive_sql.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::exec_sql;
using testing::temp_dir;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Capture page(const std::string& url, const std::string& body) {
  Capture c;
  c.url = url;
  c.site = "travinh";
  c.fetched_at = "2023-05-01T00:00:00.000Z";
  c.status = 200;
  c.response_headers = {{"Content-Type", "text/html"}};
  c.body = body;
  return c;
}

// Bodies that do not compress, so that a few fill a small database.
std::string random_body(int seed, size_t size) {
  std::mt19937 rng(seed);
  std::string body(size, '\0');
  for (char& ch : body) ch = static_cast<char>(rng());
  return body;
}

int64_t query_int(const std::string& path, const char* sql) {
  Result<std::unique_ptr<sql::Connection>> db = sql::Connection::open(path, SQLITE_OPEN_READONLY);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return -1;
  Result<int64_t> n = (*db)->query_int(sql);
  EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error());
  return n.ok() ? *n : -1;
}

TEST(ArchiveFaultsTest, ANewerSchemaIsRefusedByAnOlderBinary) {
  std::string path = temp_dir() + "/a.sqlite";
  { ASSERT_TRUE(Archive::open(path).ok()); }
  exec_sql(path, "PRAGMA user_version = 99");
  Result<std::unique_ptr<Archive>> archive = Archive::open(path);
  ASSERT_FALSE(archive.ok());
  EXPECT_TRUE(contains(archive.error(), path + ": archive schema version 99 is newer than this "
                                               "provarc supports"))
      << archive.error();
  EXPECT_TRUE(contains(archive.error(), "use a newer provarc"));
  archive = Archive::open(path, ArchiveOptions{.read_only = true});
  ASSERT_FALSE(archive.ok());
  EXPECT_TRUE(contains(archive.error(), "is newer")) << archive.error();
}

TEST(ArchiveFaultsTest, MigrationsRunForwardInOneTransaction) {
  std::string path = temp_dir() + "/m.sqlite";
  Result<std::unique_ptr<sql::Connection>> db =
      sql::Connection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(db.ok());
  std::vector<Migration> v1 = {{1, "CREATE TABLE t (x INTEGER)"}};
  ASSERT_TRUE(migrate(**db, path, v1).ok());
  ASSERT_TRUE((*db)->exec("INSERT INTO t (x) VALUES (41)").ok());

  std::vector<Migration> v2 = v1;
  v2.push_back({2, "ALTER TABLE t ADD COLUMN y INTEGER NOT NULL DEFAULT 7"});
  Status s = migrate(**db, path, v2);
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(*(*db)->query_int("PRAGMA user_version"), 2);
  EXPECT_EQ(*(*db)->query_int("SELECT x + y FROM t"), 48);
  EXPECT_EQ(*(*db)->query_int("PRAGMA application_id"), kArchiveApplicationId);

  // A failing step leaves the file exactly as it was: no half-applied version 3.
  std::vector<Migration> v4 = v2;
  v4.push_back({3, "CREATE TABLE u (z INTEGER)"});
  v4.push_back({4, "CREATE TABLE t (x INTEGER)"});  // t exists: fails
  s = migrate(**db, path, v4);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(contains(s.error(), path + ": migrating the schema to version 4")) << s.error();
  EXPECT_EQ(*(*db)->query_int("PRAGMA user_version"), 2);
  EXPECT_EQ(*(*db)->query_int("SELECT count(*) FROM sqlite_master WHERE name = 'u'"), 0);

  // Older binaries' lists stop short of the file's version: refused.
  s = migrate(**db, path, v1);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(contains(s.error(), "schema version 2 is newer")) << s.error();
}

TEST(ArchiveFaultsTest, RandomBytesAreNotAnArchive) {
  std::string path = temp_dir() + "/random.sqlite";
  {
    std::ofstream out(path, std::ios::binary);
    out << random_body(7, 64 * 1024);
  }
  Result<std::unique_ptr<Archive>> archive = Archive::open(path);
  ASSERT_FALSE(archive.ok());
  EXPECT_TRUE(contains(archive.error(), path + ": not a readable provarc archive"))
      << archive.error();
  EXPECT_TRUE(contains(archive.error(), "SQLITE_NOTADB")) << archive.error();
  EXPECT_EQ(archive.code(), ErrorCode::kCorrupt);
  // And it was not touched.
  EXPECT_EQ(std::filesystem::file_size(path), 64u * 1024);
}

TEST(ArchiveFaultsTest, AnotherProgramsDatabaseIsNotAnArchive) {
  std::string path = temp_dir() + "/other.sqlite";
  exec_sql(path, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x')");
  Result<std::unique_ptr<Archive>> archive = Archive::open(path);
  ASSERT_FALSE(archive.ok());
  EXPECT_TRUE(contains(archive.error(), path + ": an SQLite database, but not a provarc archive"))
      << archive.error();
  EXPECT_EQ(archive.code(), ErrorCode::kCorrupt);
  EXPECT_EQ(query_int(path, "SELECT count(*) FROM sqlite_master"), 1);
}

TEST(ArchiveFaultsTest, ATruncatedArchiveFailsCleanly) {
  std::string path = temp_dir() + "/t.sqlite";
  {
    Result<std::unique_ptr<Archive>> archive = Archive::open(path);
    ASSERT_TRUE(archive.ok());
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(
          (*archive)
              ->store_capture(page("https://x.vn/" + std::to_string(i), random_body(i, 8000)), 0)
              .ok());
    }
  }
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  Result<std::unique_ptr<Archive>> archive = Archive::open(path);
  if (!archive.ok()) {
    EXPECT_TRUE(contains(archive.error(), path + ": ")) << archive.error();
    return;
  }
  // Opening may succeed (the header is intact); the damage then shows in reads or the check.
  Status check = (*archive)->check_integrity();
  Result<StoredCapture> last = (*archive)->capture(20, true);
  EXPECT_TRUE(!check.ok() || !last.ok());
  if (!check.ok()) {
    EXPECT_TRUE(contains(check.error(), path + ": ")) << check.error();
  }
}

TEST(ArchiveFaultsTest, AMissingArchiveIsNotCreatedWhenNotAsked) {
  std::string path = temp_dir() + "/none.sqlite";
  Result<std::unique_ptr<Archive>> archive = Archive::open(path, ArchiveOptions{.create = false});
  ASSERT_FALSE(archive.ok());
  EXPECT_TRUE(contains(archive.error(), path + ": no archive there")) << archive.error();
  EXPECT_EQ(archive.code(), ErrorCode::kNotFound);
  archive = Archive::open(path, ArchiveOptions{.read_only = true});
  ASSERT_FALSE(archive.ok());
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ArchiveFaultsTest, AReadOnlyDirectoryIsAClearError) {
  std::string path;
  std::string dir = temp_dir() + "/ro";
  std::filesystem::create_directories(dir);
  if (geteuid() == 0) {
    // root ignores permission bits; sysfs refuses new files to anyone.
    path = "/sys/provarc-archive-test.sqlite";
  } else {
    std::filesystem::permissions(
        dir, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    path = dir + "/a.sqlite";
  }
  Result<std::unique_ptr<Archive>> archive = Archive::open(path);
  ASSERT_FALSE(archive.ok());
  EXPECT_TRUE(contains(archive.error(), path + ": cannot open the archive")) << archive.error();
  EXPECT_EQ(archive.code(), ErrorCode::kIo);  // SQLITE_CANTOPEN
  EXPECT_FALSE(std::filesystem::exists(path));
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
}

TEST(ArchiveFaultsTest, AReadOnlyArchiveRefusesWritesAndStillReads) {
  std::string path = temp_dir() + "/a.sqlite";
  {
    Result<std::unique_ptr<Archive>> writer = Archive::open(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->store_capture(page("https://x.vn/a", "<p>a</p>"), 0).ok());
  }
  Result<std::unique_ptr<Archive>> reader = Archive::open(path, ArchiveOptions{.read_only = true});
  ASSERT_TRUE(reader.ok()) << reader.error();
  Result<int64_t> stored = (*reader)->store_capture(page("https://x.vn/b", "<p>b</p>"), 0);
  ASSERT_FALSE(stored.ok());
  EXPECT_TRUE(contains(stored.error(), path + ": ")) << stored.error();
  EXPECT_TRUE(contains(stored.error(), "read-only")) << stored.error();
  EXPECT_EQ(stored.code(), ErrorCode::kReadOnly);
  Result<std::optional<StoredCapture>> a = (*reader)->latest_capture("https://x.vn/a", true);
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->capture.body, "<p>a</p>");
}

TEST(ArchiveFaultsTest, ALockedArchiveFailsAfterTheBusyTimeoutAndReadersGoOn) {
  std::string path = temp_dir() + "/a.sqlite";
  Result<std::unique_ptr<Archive>> archive =
      Archive::open(path, ArchiveOptions{.busy_timeout_ms = 200});
  ASSERT_TRUE(archive.ok());
  ASSERT_TRUE((*archive)->store_capture(page("https://x.vn/a", "<p>a</p>"), 0).ok());

  // Another process's writer holds the write lock.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other,
                         "BEGIN IMMEDIATE; INSERT INTO runs (kind, started_at, sites)"
                         " VALUES ('crawl', 'now', '[]')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto started = std::chrono::steady_clock::now();
  Result<int64_t> stored = (*archive)->store_capture(page("https://x.vn/b", "<p>b</p>"), 0);
  auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(stored.ok());
  EXPECT_TRUE(contains(stored.error(), path + ": ")) << stored.error();
  EXPECT_TRUE(contains(stored.error(), "locked")) << stored.error();
  EXPECT_TRUE(contains(stored.error(), "another process has been writing")) << stored.error();
  EXPECT_EQ(stored.code(), ErrorCode::kBusy);
  EXPECT_GE(waited, std::chrono::milliseconds(150));
  // Readers are not blocked by the writer.
  Result<std::optional<StoredCapture>> a = (*archive)->latest_capture("https://x.vn/a", true);
  ASSERT_TRUE(a.ok()) << a.error();
  ASSERT_TRUE(a->has_value());

  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  stored = (*archive)->store_capture(page("https://x.vn/b", "<p>b</p>"), 0);
  ASSERT_TRUE(stored.ok()) << stored.error();
  EXPECT_TRUE((*archive)->check_integrity().ok());
}

TEST(ArchiveFaultsTest, AFullDiskFailsCleanlyAndKeepsWhatWasCommitted) {
  std::string path = temp_dir() + "/a.sqlite";
  int stored = 0;
  std::string error;
  {
    ArchiveOptions options;
    options.max_page_count = 200;  // 800 KiB with 4 KiB pages
    Result<std::unique_ptr<Archive>> archive = Archive::open(path, options);
    ASSERT_TRUE(archive.ok()) << archive.error();
    for (int i = 0; i < 100; ++i) {
      Result<int64_t> id = (*archive)->store_capture(
          page("https://x.vn/" + std::to_string(i), random_body(i, 30000)), 0);
      if (!id.ok()) {
        error = id.error();
        EXPECT_EQ(id.code(), ErrorCode::kFull);
        break;
      }
      ++stored;
    }
    ASSERT_FALSE(error.empty()) << "the cap was never reached";
    EXPECT_GT(stored, 5);
    EXPECT_TRUE(
        contains(error, path + ": storing the body of https://x.vn/" + std::to_string(stored)))
        << error;
    EXPECT_TRUE(contains(error, "SQLITE_FULL")) << error;
    EXPECT_TRUE(contains(error, "nothing of this was written")) << error;
    // The connection is still usable for reads and for writes that fit.
    EXPECT_TRUE((*archive)->check_integrity().ok());
    Result<int64_t> small = (*archive)->begin_run("crawl", {"travinh"});
    EXPECT_TRUE(small.ok()) << small.error();
  }
  // Reopened without the cap: everything committed is there and intact; the failed one is not.
  Result<std::unique_ptr<Archive>> archive = Archive::open(path);
  ASSERT_TRUE(archive.ok());
  EXPECT_TRUE((*archive)->check_integrity().ok());
  EXPECT_EQ(query_int(path, "SELECT count(*) FROM captures"), stored);
  EXPECT_EQ(query_int(path, "SELECT count(*) FROM blobs"), stored);
  for (int i = 0; i < stored; ++i) {
    Result<std::optional<StoredCapture>> c =
        (*archive)->latest_capture("https://x.vn/" + std::to_string(i), true);
    ASSERT_TRUE(c.ok() && c->has_value()) << i;
    EXPECT_EQ((*c)->capture.body, random_body(i, 30000));
  }
  EXPECT_TRUE(
      (*archive)->store_capture(page("https://x.vn/more", random_body(999, 30000)), 0).ok());
}

}  // namespace
}  // namespace provarc
