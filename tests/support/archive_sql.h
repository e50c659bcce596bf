// tests/support/archive_sql.h: SQL run straight on an archive file, for tests that damage it or
// inject faults (a corrupt blob, a trigger that refuses writes) behind the Archive API's back.
#pragma once

#include <cstdint>
#include <string>

namespace provarc::testing {

// Runs `sql` (one or more statements) on the SQLite file at `path`; fails the test on an error.
void exec_sql(const std::string& path, const char* sql);

// The number the query `sql` gives (its first column), read through a read-only connection to the
// SQLite file at `path`; 0 while the file or its tables do not exist yet (a process still
// creating the archive). Waits up to 2 s for a writer's lock.
int64_t count_sql(const std::string& path, const std::string& sql);

}  // namespace provarc::testing
