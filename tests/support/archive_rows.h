// tests/support/archive_rows.h: what a round trip through an export must keep of an archive, in
// comparable form: its captures as rows, and its articles as `provarc export --format jsonl`
// prints them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace provarc::testing {

// One row per capture of the archive at `db` (of those with a response unless `with_errors`):
// url, fetched_at, status, outcome, kind, response and request headers, payload digest,
// redirect target, ip and site, ordered by url and time. Read with SQLite directly.
std::vector<std::vector<std::string>> capture_rows(const std::string& db, bool with_errors);

// Every article version of the archive at `db` as `provarc --config <config> export --format
// jsonl --all-versions` prints it, without the "archive" object (ids differ between archives).
std::vector<nlohmann::json> exported_articles(const std::string& db, const std::string& config);

// Runs `sql` on the archive at `path` through a connection with provarc's SQL functions and
// tokenizer registered (its triggers and views need them); fails the test when SQLite does.
void exec_archive_sql(const std::string& path, const char* sql);

// Turns the archive at `path` (schema v8) back into what an archive of schema v7 holds: digests
// and content hashes as 64 hex digits, captures.payload_digest (its blob's digest, now the last
// column) in place of url_key and the URL index over the URL's text, every frontier entry's
// identity spelled out and all of them in its unique index, user_version 7. The inverse of the v8
// migration (archive/schema.cc), so that it can be run on an archive with real rows.
void downgrade_to_v7(const std::string& path);

}  // namespace provarc::testing
