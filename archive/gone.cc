// The Archive's gone marks: an article whose page answers 404 or 410 is marked, never deleted, so
// that the record of what a department published survives the page.
#include "archive/archive.h"
#include "archive/archive_core.h"

namespace provarc {

Result<bool> Archive::mark_gone(std::string_view url, int status, std::string_view since) {
  bool marked = false;
  const std::string doing = "marking " + std::string(url) + " gone";
  Status s = core_->transaction([&]() -> Status {
    Result<sql::Statement> stmt = core_->db().prepare(
        "UPDATE articles SET gone_at = ?, gone_status = ? WHERE url = ? AND gone_at IS NULL");
    if (!stmt.ok()) return core_->failed(doing, stmt.failure());
    stmt->bind(1, since).bind(2, int64_t{status}).bind(3, url);
    if (Status run = stmt->run(); !run.ok()) return core_->failed(doing, run.failure());
    marked = core_->db().changes() > 0;
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  return marked;
}

Status Archive::clear_gone(std::string_view url, std::string_view served_at) {
  const std::string doing = "clearing the gone mark of " + std::string(url);
  return core_->transaction([&]() -> Status {
    Result<sql::Statement> stmt = core_->db().prepare(
        "UPDATE articles SET gone_at = NULL, gone_status = NULL"
        " WHERE url = ? AND gone_at IS NOT NULL AND gone_at < ?");
    if (!stmt.ok()) return core_->failed(doing, stmt.failure());
    stmt->bind(1, url).bind(2, served_at);
    if (Status run = stmt->run(); !run.ok()) return core_->failed(doing, run.failure());
    return Status::Ok();
  });
}

Result<std::optional<GoneMark>> Archive::gone_mark(std::string_view url) {
  const std::string doing = "reading the gone mark of " + std::string(url);
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT gone_at, gone_status FROM articles WHERE url = ? AND gone_at IS NOT NULL");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, url);
  Result<bool> row = stmt->step();
  if (!row.ok()) return core_->failed(doing, row.failure());
  if (!*row) return std::optional<GoneMark>();
  return std::optional<GoneMark>(GoneMark{stmt->text_at(0), static_cast<int>(stmt->int_at(1))});
}

}  // namespace provarc
