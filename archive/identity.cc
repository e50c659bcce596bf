// The Archive's URL identity records: aliases (URLs that stand for another: a redirect, a page
// whose rel=canonical names another, a print twin, a session or navigation-state variant, the same
// article under other parameters) and the session parameters crawls learned per site and host.
#include "archive/archive.h"
#include "archive/archive_core.h"

namespace provarc {

Status Archive::record_alias(std::string_view site, const UrlAlias& alias, int64_t capture_id,
                             int64_t run_id) {
  const std::string doing = "recording " + alias.url + " as an alias of " + alias.canonical_url;
  return core_->transaction([&]() -> Status {
    Result<sql::Statement> stmt = core_->db().prepare(
        "INSERT INTO aliases (url, site, canonical_url, evidence, capture_id, run_id, first_seen)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING");
    if (!stmt.ok()) return core_->failed(doing, stmt.failure());
    stmt->bind(1, alias.url).bind(2, site).bind(3, alias.canonical_url).bind(4, alias.evidence);
    if (capture_id > 0) stmt->bind(5, capture_id); else stmt->bind_null(5);
    if (run_id > 0) stmt->bind(6, run_id); else stmt->bind_null(6);
    stmt->bind(7, utc_now());
    if (Status run = stmt->run(); !run.ok()) return core_->failed(doing, run.failure());
    return Status::Ok();
  });
}

Result<std::optional<UrlAlias>> Archive::alias(std::string_view url) {
  const std::string doing = "reading the alias record of " + std::string(url);
  Result<sql::Statement> stmt =
      core_->db().prepare("SELECT canonical_url, evidence FROM aliases WHERE url = ?");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, url);
  Result<bool> row = stmt->step();
  if (!row.ok()) return core_->failed(doing, row.failure());
  if (!*row) return std::optional<UrlAlias>();
  return std::optional<UrlAlias>(UrlAlias{std::string(url), stmt->text_at(0), stmt->text_at(1)});
}

Result<std::optional<std::string>> Archive::article_url_for(std::string_view url) {
  std::string current(url);
  for (int hop = 0; hop <= 5; ++hop) {
    Result<sql::Statement> stmt = core_->db().prepare("SELECT 1 FROM articles WHERE url = ?");
    if (!stmt.ok()) return core_->failed("finding the article of " + current, stmt.failure());
    stmt->bind(1, current);
    Result<bool> row = stmt->step();
    if (!row.ok()) return core_->failed("finding the article of " + current, row.failure());
    if (*row) return std::optional<std::string>(current);
    auto next = alias(current);
    if (!next.ok()) return next.failure();
    if (!*next || (*next)->canonical_url == current) break;
    current = (*next)->canonical_url;
  }
  return std::optional<std::string>();
}

namespace {

// The (url, content hash) rows `stmt` selects, bound already.
Result<std::vector<std::pair<std::string, std::string>>> url_hash_rows(ArchiveCore& core,
                                                                       sql::Statement& stmt,
                                                                       const std::string& doing) {
  std::vector<std::pair<std::string, std::string>> out;
  for (;;) {
    Result<bool> row = stmt.step();
    if (!row.ok()) return core.failed(doing, row.failure());
    if (!*row) return out;
    out.emplace_back(stmt.text_at(0), stmt.text_at(1));
  }
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> Archive::articles_at_path(
    std::string_view site, std::string_view url, std::string_view title, int limit) {
  const std::string head(url.substr(0, url.find('?')));
  const std::string doing = "finding the articles at " + head;
  // Article URLs are the head itself or the head and a query: "head" and "head?..." ('@' follows
  // '?'), an index range.
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT a.url, provarc_hex(v.content_hash) FROM articles a JOIN article_versions v"
      " ON v.id = a.latest_version_id WHERE a.site = ?1 AND a.url != ?2"
      " AND (a.url = ?3 OR (a.url >= ?3 || '?' AND a.url < ?3 || '@')) AND v.title = ?5"
      " LIMIT ?4");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, site).bind(2, url).bind(3, head).bind(4, int64_t{limit}).bind(5, title);
  return url_hash_rows(*core_, *stmt, doing);
}

Result<std::vector<std::pair<std::string, std::string>>> Archive::articles_titled(
    std::string_view site, std::string_view url, std::string_view title, int limit) {
  const std::string doing = "finding the articles of " + std::string(site) + " titled like " +
                            std::string(url);
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT a.url, provarc_hex(v.content_hash) FROM articles a JOIN article_versions v"
      " ON v.id = a.latest_version_id WHERE a.site = ?1 AND a.url != ?2 AND v.title = ?3"
      " LIMIT ?4");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, site).bind(2, url).bind(3, title).bind(4, int64_t{limit});
  return url_hash_rows(*core_, *stmt, doing);
}

Status Archive::record_learned_session(std::string_view site, const LearnedSession& session,
                                       int64_t run_id) {
  const std::string doing = "recording the session parameter " + session.param + " of " +
                            session.host;
  return core_->transaction([&]() -> Status {
    Result<sql::Statement> stmt = core_->db().prepare(
        "INSERT OR REPLACE INTO learned_sessions (site, host, param, path_param, evidence,"
        " learned_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return core_->failed(doing, stmt.failure());
    stmt->bind(1, site)
        .bind(2, session.host)
        .bind(3, session.param)
        .bind(4, int64_t{session.path_param})
        .bind(5, session.evidence)
        .bind(6, session.learned_at.empty() ? utc_now() : session.learned_at);
    if (run_id > 0) stmt->bind(7, run_id); else stmt->bind_null(7);
    if (Status run = stmt->run(); !run.ok()) return core_->failed(doing, run.failure());
    return Status::Ok();
  });
}

Result<std::vector<LearnedSession>> Archive::learned_sessions(std::string_view site) {
  const std::string doing = "reading the session parameters learned for " + std::string(site);
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT host, param, path_param, evidence, learned_at FROM learned_sessions"
      " WHERE site = ? ORDER BY learned_at, host, param");
  if (!stmt.ok()) return core_->failed(doing, stmt.failure());
  stmt->bind(1, site);
  std::vector<LearnedSession> out;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core_->failed(doing, row.failure());
    if (!*row) return out;
    LearnedSession s;
    s.host = stmt->text_at(0);
    s.param = stmt->text_at(1);
    s.path_param = stmt->int_at(2) != 0;
    s.evidence = stmt->text_at(3);
    s.learned_at = stmt->text_at(4);
    out.push_back(std::move(s));
  }
}

}  // namespace provarc
