// tests/support/archive_sql.h: SQL run straight on an archive file, for tests that damage it or
// inject faults (a corrupt blob, a trigger that refuses writes) behind the Archive API's back.
#pragma once

#include <string>

namespace provarc::testing {

// Runs `sql` (one or more statements) on the SQLite file at `path`; fails the test on an error.
void exec_sql(const std::string& path, const char* sql);

}  // namespace provarc::testing
