// archive/schema.h: the archive's SQL schema as a list of forward migrations, and the code that
// brings a file up to date (PRAGMA user_version). Internal to archive/; see docs/archive.md.
#pragma once

#include <string>
#include <vector>

#include "archive/sqlite.h"
#include "common/result.h"

namespace provarc {

// Stamped in PRAGMA application_id so that another program's SQLite file is not taken for an
// archive ("PRVA").
inline constexpr int kArchiveApplicationId = 0x50525641;

// One step of the schema: the SQL that takes a file from version `to - 1` to version `to`.
struct Migration {
  int to;
  const char* sql;
};

// The archive's migrations, in order; the last one's `to` is archive_schema_version().
const std::vector<Migration>& archive_migrations();

// Applies, in one transaction, every migration in `migrations` whose `to` is above the file's
// user_version, then sets user_version (and application_id) to the last `to`. Fails, leaving the
// file as it was, when a migration fails or when the file's version is newer than the last `to`;
// messages start with `path`. Re-reads the version inside the transaction, so two processes
// opening a new file at once do not both migrate it.
Status migrate(sql::Connection& db, const std::string& path,
               const std::vector<Migration>& migrations);

}  // namespace provarc
