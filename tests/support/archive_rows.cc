#include "tests/support/archive_rows.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sstream>

#include "archive/packed_text.h"
#include "archive/search_tokenizer.h"
#include "archive/stored_keys.h"
#include "tests/support/paths.h"

namespace provarc::testing {

std::vector<std::vector<std::string>> capture_rows(const std::string& db, bool with_errors) {
  sqlite3* handle = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  const char* sql =
      "SELECT url, fetched_at, status, outcome, kind, response_headers, request_headers, "
      "coalesce((SELECT lower(hex(digest)) FROM blobs b WHERE b.id = captures.blob_id), ''), "
      "coalesce(redirect_target, ''), coalesce(ip, ''), site "
      "FROM captures WHERE ?1 OR outcome != 'error' ORDER BY url, fetched_at";
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(handle, sql, -1, &stmt, nullptr), SQLITE_OK);
  sqlite3_bind_int(stmt, 1, with_errors ? 1 : 0);
  std::vector<std::vector<std::string>> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      row.push_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return rows;
}

std::vector<nlohmann::json> exported_articles(const std::string& db, const std::string& config) {
  RunResult r = run_command({provarc_binary(), "--config", config, "--db", db, "export",
                             "--format", "jsonl", "--all-versions"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<nlohmann::json> out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    nlohmann::json article = nlohmann::json::parse(line);
    article.erase("archive");
    out.push_back(article);
  }
  return out;
}

void exec_archive_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_TRUE(register_search_tokenizer(db).ok());
  ASSERT_TRUE(register_packed_text(db).ok());
  ASSERT_TRUE(register_stored_keys(db).ok());
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

void downgrade_to_v7(const std::string& path) {
  exec_archive_sql(path,
                   "BEGIN;"
                   "UPDATE blobs SET digest = lower(hex(digest));"
                   "UPDATE article_versions SET content_hash = lower(hex(content_hash));"
                   "ALTER TABLE captures ADD COLUMN payload_digest TEXT;"
                   "UPDATE captures SET"
                   " payload_digest = (SELECT digest FROM blobs WHERE id = blob_id);"
                   "DROP INDEX captures_by_url;"
                   "ALTER TABLE captures DROP COLUMN url_key;"
                   "CREATE INDEX captures_by_url ON captures(url, fetched_at, id);"
                   "DROP INDEX frontier_by_identity;"
                   "UPDATE frontier SET identity = url WHERE identity = '';"
                   "CREATE UNIQUE INDEX frontier_by_identity ON frontier(site, identity);"
                   "PRAGMA user_version = 7;"
                   "COMMIT;");
}

}  // namespace provarc::testing
