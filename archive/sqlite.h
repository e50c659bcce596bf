// archive/sqlite.h: a thin RAII layer over one SQLite connection (cached prepared statements, bound
// parameters, errors as values with messages that say what SQLite reported). Internal to archive/.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace provarc::sql {

// "database is locked (SQLITE_BUSY)": SQLite's message for `rc` on `db`, with the code's name.
std::string describe(sqlite3* db, int rc);

// What an SQLite result code (primary or extended) means to provarc: BUSY and LOCKED are kBusy,
// FULL kFull, CORRUPT and NOTADB kCorrupt, IOERR, CANTOPEN and PERM kIo, READONLY kReadOnly, a
// FOREIGN KEY constraint kNotFound (it refers to a row that does not exist), other constraints,
// TOOBIG and MISMATCH kInvalidInput, anything else kOther.
ErrorCode error_code_of(int rc);

// describe() as a Failure carrying error_code_of(rc).
Failure failure_of(sqlite3* db, int rc);

class Connection;

// A prepared statement borrowed from a Connection's cache. Parameters are bound by 1-based index;
// on destruction the statement is reset and its bindings cleared, ready for the next user.
// Not thread-safe (neither is its Connection).
class Statement {
 public:
  // `owned`: finalize on destruction (an uncached statement) rather than reset for reuse.
  Statement(Connection* connection, sqlite3_stmt* stmt, bool owned = false)
      : connection_(connection), stmt_(stmt), owned_(owned) {}
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view text);  // "" binds an empty string, not NULL
  Statement& bind_optional(int index, const std::optional<std::string>& text);  // nullopt: NULL
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);
  // Binds `pointer` under `type` (sqlite3_bind_pointer): an application-defined SQL function
  // reads it back with sqlite3_value_pointer and the same type; SQL sees NULL. Not owned.
  Statement& bind_pointer(int index, void* pointer, const char* type);
  // Binds NULL when `text` is empty (optional columns such as etag).
  Statement& bind_or_null(int index, std::string_view text);

  // Steps once: true when a row is ready, false when done. Fails with describe() of the error.
  Result<bool> step();
  // Steps until done, for statements that return no rows.
  Status run();

  int64_t int_at(int column) const;
  double double_at(int column) const;
  std::string text_at(int column) const;        // "" for NULL
  std::optional<std::string> optional_text_at(int column) const;  // nullopt for NULL
  std::string_view blob_at(int column) const;   // valid until the next step
  bool is_null(int column) const;

 private:
  Connection* connection_;
  sqlite3_stmt* stmt_;
  bool owned_;
};

// One connection to one database file. Not thread-safe: use one per thread.
class Connection {
 public:
  // Opens `path` with sqlite3_open_v2 `flags`. Fails with describe() of the error.
  static Result<std::unique_ptr<Connection>> open(const std::string& path, int flags);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached statement for `sql`, which must be a string literal (the cache is keyed by its
  // address). Prepared once per connection. Fails when `sql` is invalid.
  Result<Statement> prepare(const char* sql);
  // A statement of its own, for a loop that may run other statements while it steps.
  Result<Statement> prepare_uncached(const char* sql);
  // Runs one or more statements that take no parameters (DDL, PRAGMA, BEGIN, COMMIT).
  Status exec(const char* sql);
  // The single integer a query such as "PRAGMA user_version" returns.
  Result<int64_t> query_int(const char* sql);

  int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  sqlite3* handle() const { return db_; }

  Failure failure(int rc) { return failure_of(db_, rc); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::map<const char*, sqlite3_stmt*> cache_;  // keyed by the SQL literal's address
};

// Opens the database at `path` for reading only, and reads its header (PRAGMA user_version) to
// make sure it can. SQLite reads a WAL-mode file through a -shm file beside it, which it must be
// able to create (https://www.sqlite.org/wal.html#readonly): in a directory the process cannot
// write (another user's archive, a read-only mount) a plain read-only open then fails. When that
// happens and no -wal file holds transactions not yet in the database, the file is opened again
// with the URI parameter immutable=1 (https://www.sqlite.org/uri.html#uriimmutable): no locks and
// no -shm, which is right as long as nothing writes the file while it is read. Nothing can
// without creating the -wal file, so a writer that starts meanwhile is the one risk, accepted
// for reading commands (show, export, stats). With a -wal holding transactions it fails, saying
// so: immutable would read the file without them. Fails with describe() of other errors.
Result<std::unique_ptr<Connection>> open_readable(const std::string& path);

}  // namespace provarc::sql
