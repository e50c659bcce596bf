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

}  // namespace provarc::testing
