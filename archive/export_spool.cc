#include "archive/export_spool.h"

#include "archive/sqlite.h"

namespace provarc {
namespace {

// One transaction for the spool's whole life: nothing here needs to survive a crash, and
// committing after every insert would write the changed pages out each time.
constexpr const char* kSchema =
    "PRAGMA journal_mode = OFF;"
    "PRAGMA synchronous = OFF;"
    "PRAGMA temp_store = FILE;"
    "PRAGMA cache_size = -8192;"
    "CREATE TABLE payloads (digest TEXT PRIMARY KEY, uri TEXT, date TEXT, record_id TEXT)"
    " WITHOUT ROWID;"
    "CREATE TABLE latest (url TEXT PRIMARY KEY, uri TEXT, date TEXT, record_id TEXT)"
    " WITHOUT ROWID;"
    "CREATE TABLE index_lines (line TEXT NOT NULL);"
    "BEGIN;";

Failure spool_failure(const std::string& doing, const Failure& why) {
  return why.prefixed("the export's temporary database: " + doing + ": ");
}

}  // namespace

ExportSpool::ExportSpool(std::unique_ptr<sql::Connection> db) : db_(std::move(db)) {}

ExportSpool::~ExportSpool() = default;

Result<std::unique_ptr<ExportSpool>> ExportSpool::open() {
  Result<std::unique_ptr<sql::Connection>> db =
      sql::Connection::open("", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db.ok()) return spool_failure("creating it", db.failure());
  if (Status s = (*db)->exec(kSchema); !s.ok()) return spool_failure("creating it", s.failure());
  return std::unique_ptr<ExportSpool>(new ExportSpool(std::move(*db)));
}

Result<std::optional<WarcRecordRef>> ExportSpool::lookup(const char* sql, std::string_view key) {
  Result<sql::Statement> select = db_->prepare(sql);
  if (!select.ok()) return spool_failure("reading", select.failure());
  select->bind(1, key);
  Result<bool> row = select->step();
  if (!row.ok()) return spool_failure("reading", row.failure());
  if (!*row) return std::optional<WarcRecordRef>();
  return std::optional<WarcRecordRef>(
      WarcRecordRef{select->text_at(0), select->text_at(1), select->text_at(2)});
}

Result<std::optional<WarcRecordRef>> ExportSpool::payload(std::string_view payload_digest) {
  return lookup("SELECT uri, date, record_id FROM payloads WHERE digest = ?", payload_digest);
}

Result<std::optional<WarcRecordRef>> ExportSpool::latest(std::string_view url) {
  return lookup("SELECT uri, date, record_id FROM latest WHERE url = ?", url);
}

Status ExportSpool::store(const char* sql, std::string_view key, const WarcRecordRef& record) {
  Result<sql::Statement> insert = db_->prepare(sql);
  if (!insert.ok()) return spool_failure("writing", insert.failure());
  insert->bind(1, key).bind(2, record.uri).bind(3, record.date).bind(4, record.record_id);
  if (Status s = insert->run(); !s.ok()) return spool_failure("writing", s.failure());
  return Status::Ok();
}

Status ExportSpool::remember_payload(std::string_view payload_digest, const WarcRecordRef& record) {
  return store("INSERT OR IGNORE INTO payloads (digest, uri, date, record_id) VALUES (?, ?, ?, ?)",
               payload_digest, record);
}

Status ExportSpool::remember_latest(std::string_view url, const WarcRecordRef& record) {
  return store("INSERT OR REPLACE INTO latest (url, uri, date, record_id) VALUES (?, ?, ?, ?)",
               url, record);
}

Status ExportSpool::add_index_line(std::string_view line) {
  Result<sql::Statement> insert = db_->prepare("INSERT INTO index_lines (line) VALUES (?)");
  if (!insert.ok()) return spool_failure("writing", insert.failure());
  insert->bind(1, line);
  if (Status s = insert->run(); !s.ok()) return spool_failure("writing", s.failure());
  return Status::Ok();
}

Status ExportSpool::for_each_index_line(const std::function<Status(std::string_view)>& write) {
  // BINARY collation compares with memcmp: bytewise order.
  Result<sql::Statement> select =
      db_->prepare_uncached("SELECT line FROM index_lines ORDER BY line");
  if (!select.ok()) return spool_failure("sorting the index", select.failure());
  for (;;) {
    Result<bool> row = select->step();
    if (!row.ok()) return spool_failure("sorting the index", row.failure());
    if (!*row) return Status::Ok();
    if (Status s = write(select->blob_at(0)); !s.ok()) return s;
  }
}

}  // namespace provarc
