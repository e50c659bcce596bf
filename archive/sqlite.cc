#include "archive/sqlite.h"

#include <sys/stat.h>

namespace provarc::sql {

std::string describe(sqlite3* db, int rc) {
  // sqlite3_errmsg is only meaningful for the connection's most recent error; fall back to the
  // generic text of the code.
  bool same = db != nullptr && (sqlite3_extended_errcode(db) & 0xff) == (rc & 0xff);
  std::string message = same ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const char* name = nullptr;
  switch (rc & 0xff) {
    case SQLITE_BUSY: name = "SQLITE_BUSY"; break;
    case SQLITE_LOCKED: name = "SQLITE_LOCKED"; break;
    case SQLITE_FULL: name = "SQLITE_FULL"; break;
    case SQLITE_CORRUPT: name = "SQLITE_CORRUPT"; break;
    case SQLITE_NOTADB: name = "SQLITE_NOTADB"; break;
    case SQLITE_READONLY: name = "SQLITE_READONLY"; break;
    case SQLITE_CANTOPEN: name = "SQLITE_CANTOPEN"; break;
    case SQLITE_IOERR: name = "SQLITE_IOERR"; break;
    case SQLITE_CONSTRAINT: name = "SQLITE_CONSTRAINT"; break;
    case SQLITE_PERM: name = "SQLITE_PERM"; break;
    case SQLITE_NOMEM: name = "SQLITE_NOMEM"; break;
    default: break;
  }
  if (name != nullptr) message += std::string(" (") + name + ")";
  return message;
}

ErrorCode error_code_of(int rc) {
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return ErrorCode::kNotFound;
  switch (rc & 0xff) {
    case SQLITE_OK: return ErrorCode::kOk;
    case SQLITE_BUSY: case SQLITE_LOCKED: return ErrorCode::kBusy;
    case SQLITE_FULL: return ErrorCode::kFull;
    case SQLITE_CORRUPT: case SQLITE_NOTADB: return ErrorCode::kCorrupt;
    case SQLITE_IOERR: case SQLITE_CANTOPEN: case SQLITE_PERM: return ErrorCode::kIo;
    case SQLITE_READONLY: return ErrorCode::kReadOnly;
    case SQLITE_CONSTRAINT: case SQLITE_TOOBIG: case SQLITE_MISMATCH:
      return ErrorCode::kInvalidInput;
    default: return ErrorCode::kOther;
  }
}

Failure failure_of(sqlite3* db, int rc) { return fail(error_code_of(rc), describe(db, rc)); }

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_), stmt_(other.stmt_), owned_(other.owned_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ != nullptr && owned_) {
    sqlite3_finalize(stmt_);
  } else if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // A non-null pointer even for "" so that SQLite binds an empty string rather than NULL.
  sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(), SQLITE_TRANSIENT,
                      SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_optional(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_, index, bytes.empty() ? "" : bytes.data(), bytes.size(),
                      SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind_pointer(int index, void* pointer, const char* type) {
  sqlite3_bind_pointer(stmt_, index, pointer, type, nullptr);
  return *this;
}

Statement& Statement::bind_or_null(int index, std::string_view text) {
  return text.empty() ? bind_null(index) : bind(index, text);
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return connection_->failure(rc);
}

Status Statement::run() {
  for (;;) {
    Result<bool> row = step();
    if (!row.ok()) return row.failure();
    if (!*row) return Status::Ok();
  }
}

int64_t Statement::int_at(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::double_at(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text_at(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::optional_text_at(int column) const {
  if (is_null(column)) return std::nullopt;
  return text_at(column);
}

std::string_view Statement::blob_at(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return {};
  return std::string_view(static_cast<const char*>(data),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_EXRESCODE, nullptr);
  if (rc != SQLITE_OK) {
    Failure failure = failure_of(db, rc);
    sqlite3_close_v2(db);
    return failure;
  }
  return std::unique_ptr<Connection>(new Connection(db));
}

namespace {

// "file:" URI of a path (https://www.sqlite.org/uri.html): the characters a URI gives a meaning
// to are percent-encoded; an absolute path gets an empty authority.
std::string file_uri(const std::string& path) {
  std::string out = path.rfind('/', 0) == 0 ? "file://" : "file:";
  static const char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

int64_t file_size_or_zero(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

}  // namespace

Result<std::unique_ptr<Connection>> open_readable(const std::string& path) {
  Result<std::unique_ptr<Connection>> db = Connection::open(path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db;
  Result<int64_t> probe = (*db)->query_int("PRAGMA user_version");
  if (probe.ok()) return db;
  // SQLITE_READONLY or SQLITE_CANTOPEN (kIo): the -shm file cannot be created beside the file.
  const ErrorCode code = probe.failure().code;
  if (code != ErrorCode::kReadOnly && code != ErrorCode::kIo) return probe.failure();
  if (file_size_or_zero(path + "-wal") > 0) {
    return fail(probe.error() + "; " + path + "-wal holds transactions not yet in " + path +
                " and SQLite cannot create " + path +
                "-shm to read them (the directory is not writable): open it once where it can "
                "be written (e.g. `provarc stats` as its owner)");
  }
  Result<std::unique_ptr<Connection>> immutable =
      Connection::open(file_uri(path) + "?immutable=1", SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
  if (!immutable.ok()) return immutable;
  Result<int64_t> again = (*immutable)->query_int("PRAGMA user_version");
  if (!again.ok()) return again.failure();
  return immutable;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Statement> Connection::prepare(const char* sql) {
  auto found = cache_.find(sql);
  if (found != cache_.end()) return Statement(this, found->second);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return failure(rc);
  cache_.emplace(sql, stmt);
  return Statement(this, stmt);
}

Result<Statement> Connection::prepare_uncached(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return failure(rc);
  return Statement(this, stmt, /*owned=*/true);
}

Status Connection::exec(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return failure(rc);
  return Status::Ok();
}

Result<int64_t> Connection::query_int(const char* sql) {
  Result<Statement> stmt = prepare(sql);
  if (!stmt.ok()) return stmt.failure();
  Result<bool> row = stmt->step();
  if (!row.ok()) return row.failure();
  return *row ? stmt->int_at(0) : 0;
}

}  // namespace provarc::sql
