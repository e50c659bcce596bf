// The Archive's articles, parse records and versions.
//
// A capture of an article reads as one version (parses.version_id); a version is written only
// when a parse's content differs from what the capture read as before (its own earlier parse, by
// an older parser) and from what the article's previous capture reads as. An article's latest
// version is what its most recent parsed capture reads as, by the newest parse of it.
#include <optional>

#include "archive/archive.h"
#include "archive/archive_core.h"

namespace provarc {
namespace {

// The columns of an ArticleVersion, in the order version_from_row() reads them.
#define VERSION_COLUMNS                                                                       \
  " v.id, v.article_id, v.number, v.capture_id, a.url, a.site, c.fetched_at, v.created_at," \
  " v.parser_version, v.title, v.published, provarc_hex(v.content_hash),"                   \
  " provarc_text(v.json, v.json_dictionary_id)"                                             \
  " FROM article_versions v JOIN articles a ON a.id = v.article_id"                         \
  " JOIN captures c ON c.id = v.capture_id "

ArticleVersion version_from_row(const sql::Statement& st) {
  ArticleVersion v;
  v.id = st.int_at(0);
  v.article_id = st.int_at(1);
  v.number = static_cast<int>(st.int_at(2));
  v.capture_id = st.int_at(3);
  v.url = st.text_at(4);
  v.site = st.text_at(5);
  v.captured_at = st.text_at(6);
  v.created_at = st.text_at(7);
  v.parser_version = st.text_at(8);
  v.title = st.text_at(9);
  v.published = st.optional_text_at(10);
  v.content_hash = st.text_at(11);
  v.json = st.text_at(12);
  return v;
}

// A version a capture already reads as, and its content hash.
struct Candidate {
  int64_t version_id = 0;
  std::string content_hash;
};

// What the capture itself read as by its newest ok parse (any parser version).
Result<std::optional<Candidate>> same_capture_candidate(ArchiveCore& core, int64_t capture_id) {
  Result<sql::Statement> stmt = core.db().prepare(
      "SELECT v.id, provarc_hex(v.content_hash) FROM parses p"
      " JOIN article_versions v ON v.id = p.version_id"
      " WHERE p.capture_id = ? AND p.outcome != 'failed' ORDER BY p.id DESC LIMIT 1");
  if (!stmt.ok()) return core.failed("comparing versions", stmt.failure());
  stmt->bind(1, capture_id);
  Result<bool> row = stmt->step();
  if (!row.ok()) return core.failed("comparing versions", row.failure());
  if (!*row) return std::optional<Candidate>();
  return std::optional<Candidate>(Candidate{stmt->int_at(0), stmt->text_at(1)});
}

// What the nearest earlier capture of `url` with an ok parse reads as: by `parser_version` when it
// was parsed with it, else by its newest ok parse.
Result<std::optional<Candidate>> previous_capture_candidate(ArchiveCore& core, std::string_view url,
                                                            const std::string& fetched_at,
                                                            int64_t capture_id,
                                                            std::string_view parser_version) {
  Result<sql::Statement> stmt = core.db().prepare(
      "SELECT v.id, provarc_hex(v.content_hash) FROM captures c"
      " JOIN parses p ON p.capture_id = c.id"
      " JOIN article_versions v ON v.id = p.version_id"
      " WHERE c.url_key = provarc_url_key(?1) AND c.url = ?1 AND p.outcome != 'failed'"
      " AND (c.fetched_at < ?2 OR (c.fetched_at = ?2 AND c.id < ?3))"
      " ORDER BY c.fetched_at DESC, c.id DESC, p.parser_version = ?4 DESC, p.id DESC LIMIT 1");
  if (!stmt.ok()) return core.failed("comparing versions", stmt.failure());
  stmt->bind(1, url).bind(2, fetched_at).bind(3, capture_id).bind(4, parser_version);
  Result<bool> row = stmt->step();
  if (!row.ok()) return core.failed("comparing versions of " + std::string(url), row.failure());
  if (!*row) return std::optional<Candidate>();
  return std::optional<Candidate>(Candidate{stmt->int_at(0), stmt->text_at(1)});
}

// True when no capture of `url` later than (fetched_at, capture_id) has an ok parse: the capture's
// newest parse then decides the article's latest version.
Result<bool> is_latest_parsed_capture(ArchiveCore& core, std::string_view url,
                                      const std::string& fetched_at, int64_t capture_id) {
  Result<sql::Statement> stmt = core.db().prepare(
      "SELECT 1 FROM captures c JOIN parses p ON p.capture_id = c.id"
      " WHERE c.url_key = provarc_url_key(?1) AND c.url = ?1 AND p.outcome != 'failed'"
      " AND (c.fetched_at > ?2 OR (c.fetched_at = ?2 AND c.id > ?3)) LIMIT 1");
  if (!stmt.ok()) return core.failed("updating the latest version", stmt.failure());
  stmt->bind(1, url).bind(2, fetched_at).bind(3, capture_id);
  Result<bool> row = stmt->step();
  if (!row.ok()) return core.failed("updating the latest version", row.failure());
  return !*row;
}

Status insert_parse(ArchiveCore& core, const ParseRecord& record, std::string_view outcome,
                    int64_t version_id) {
  Result<sql::Statement> stmt = core.db().prepare(
      "INSERT OR REPLACE INTO parses (capture_id, parser_version, parsed_at, outcome, version_id,"
      " error, note) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt.ok()) return core.failed("recording a parse", stmt.failure());
  stmt->bind(1, record.capture_id)
      .bind(2, record.parser_version)
      .bind(3, utc_now())
      .bind(4, outcome);
  if (version_id == 0) stmt->bind_null(5); else stmt->bind(5, version_id);
  stmt->bind_or_null(6, record.error);
  stmt->bind_or_null(7, record.note);
  if (Status s = stmt->run(); !s.ok()) {
    return core.failed("recording the parse of capture " + std::to_string(record.capture_id),
                       s.failure());
  }
  return Status::Ok();
}

// Writes the version, its JSON packed with `site`'s article dictionary (archive/packed_text.h).
Result<int64_t> insert_version(ArchiveCore& core, int64_t article_id, std::string_view site,
                               const ParseRecord& record) {
  Result<ArchiveCore::PackedTexts> json =
      core.pack_texts(site, DictionaryKind::kArticle, {record.json});
  if (!json.ok()) return json.failure();
  Result<sql::Statement> stmt = core.db().prepare(
      "INSERT INTO article_versions (article_id, number, capture_id, parser_version, created_at,"
      " title, published, content_hash, json, json_dictionary_id)"
      " VALUES (?1, (SELECT version_count + 1 FROM articles WHERE id = ?1), ?2, ?3, ?4, ?5, ?6,"
      " provarc_unhex(?7), ?8, ?9)");
  if (!stmt.ok()) return core.failed("writing a version", stmt.failure());
  stmt->bind(1, article_id)
      .bind(2, record.capture_id)
      .bind(3, record.parser_version)
      .bind(4, utc_now())
      .bind_or_null(5, record.title)
      .bind_optional(6, record.published)
      .bind(7, record.content_hash)
      .bind_blob(8, json->frames[0]);
  if (json->dictionary_id > 0) stmt->bind(9, json->dictionary_id); else stmt->bind_null(9);
  if (Status s = stmt->run(); !s.ok()) {
    return core.failed("writing a version from capture " + std::to_string(record.capture_id),
                       s.failure());
  }
  int64_t version_id = core.db().last_insert_id();
  Result<sql::Statement> count = core.db().prepare(
      "UPDATE articles SET version_count = version_count + 1 WHERE id = ?");
  if (!count.ok()) return core.failed("writing a version", count.failure());
  count->bind(1, article_id);
  if (Status s = count->run(); !s.ok()) return core.failed("writing a version", s.failure());
  return version_id;
}

Result<std::optional<ArticleVersion>> one_version(ArchiveCore& core, sql::Statement& stmt,
                                                  const std::string& what) {
  Result<bool> row = stmt.step();
  if (!row.ok()) return core.failed("reading the latest version of " + what, row.failure());
  if (!*row) return std::optional<ArticleVersion>();
  return std::optional<ArticleVersion>(version_from_row(stmt));
}

}  // namespace

Result<int64_t> Archive::ensure_article(std::string_view site, std::string_view url) {
  int64_t id = 0;
  Status s = core_->transaction([&]() -> Status {
    Result<sql::Statement> insert = core_->db().prepare(
        "INSERT INTO articles (url, site, registered_at) VALUES (?, ?, ?)"
        " ON CONFLICT (url) DO NOTHING");
    if (!insert.ok()) return core_->failed("registering an article", insert.failure());
    insert->bind(1, url).bind(2, site).bind(3, utc_now());
    if (Status run = insert->run(); !run.ok()) {
      return core_->failed("registering article " + std::string(url), run.failure());
    }
    Result<sql::Statement> find = core_->db().prepare("SELECT id FROM articles WHERE url = ?");
    if (!find.ok()) return core_->failed("registering an article", find.failure());
    find->bind(1, url);
    Result<bool> row = find->step();
    if (!row.ok()) return core_->failed("registering article " + std::string(url), row.failure());
    if (!*row) return fail(path_ + ": article " + std::string(url) + " vanished");
    id = find->int_at(0);
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  return id;
}

Result<ParseWrite> Archive::record_parse(const ParseRecord& record) {
  ParseWrite write;
  const std::string capture_name = "capture " + std::to_string(record.capture_id);
  Status s = core_->transaction([&]() -> Status {
    // The capture's URL and time, and its article.
    std::string url, fetched_at, site;
    {
      Result<sql::Statement> stmt = core_->db().prepare(
          "SELECT c.url, c.fetched_at, a.id, a.site FROM captures c"
          " LEFT JOIN articles a ON a.url = c.url WHERE c.id = ?");
      if (!stmt.ok()) return core_->failed("recording a parse", stmt.failure());
      stmt->bind(1, record.capture_id);
      Result<bool> row = stmt->step();
      if (!row.ok()) return core_->failed("recording the parse of " + capture_name, row.failure());
      if (!*row) return fail(path_ + ": recording a parse: no " + capture_name);
      url = stmt->text_at(0);
      fetched_at = stmt->text_at(1);
      if (stmt->is_null(2)) {
        return fail(path_ + ": recording the parse of " + capture_name + ": " + url +
                    " is not a registered article");
      }
      write.article_id = stmt->int_at(2);
      site = stmt->text_at(3);
    }
    if (!record.ok) {
      write.change = ArticleChange::kFailed;
      return insert_parse(*core_, record, "failed", 0);
    }
    Result<std::optional<Candidate>> previous = previous_capture_candidate(
        *core_, url, fetched_at, record.capture_id, record.parser_version);
    if (!previous.ok()) return previous.failure();
    Result<std::optional<Candidate>> same = same_capture_candidate(*core_, record.capture_id);
    if (!same.ok()) return same.failure();
    write.change = ArticleChange::kChanged;
    for (const std::optional<Candidate>* c : {&*previous, &*same}) {
      if (c->has_value() && (*c)->content_hash == record.content_hash) {
        write.change = ArticleChange::kUnchanged;
        write.version_id = (*c)->version_id;
        break;
      }
    }
    if (write.change == ArticleChange::kChanged) {
      Result<int64_t> version_id = insert_version(*core_, write.article_id, site, record);
      if (!version_id.ok()) return version_id.failure();
      write.version_id = *version_id;
      // The article's first version: a new article.
      Result<sql::Statement> number =
          core_->db().prepare("SELECT number FROM article_versions WHERE id = ?");
      if (!number.ok()) return core_->failed("recording a parse", number.failure());
      number->bind(1, write.version_id);
      Result<bool> row = number->step();
      if (!row.ok()) return core_->failed("recording the parse of " + capture_name, row.failure());
      if (*row && number->int_at(0) == 1) write.change = ArticleChange::kNew;
    }
    const char* outcome = wrote_version(write.change) ? "changed" : "unchanged";
    if (Status st = insert_parse(*core_, record, outcome, write.version_id); !st.ok()) return st;
    Result<bool> latest = is_latest_parsed_capture(*core_, url, fetched_at, record.capture_id);
    if (!latest.ok()) return latest.failure();
    if (!*latest) return Status::Ok();
    Result<sql::Statement> update =
        core_->db().prepare("UPDATE articles SET latest_version_id = ? WHERE id = ?");
    if (!update.ok()) return core_->failed("updating the latest version", update.failure());
    update->bind(1, write.version_id).bind(2, write.article_id);
    if (Status st = update->run(); !st.ok()) {
      return core_->failed("updating the latest version of " + url, st.failure());
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  return write;
}

Result<std::optional<ArticleVersion>> Archive::latest_version(std::string_view url) {
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT" VERSION_COLUMNS "WHERE a.url = ? AND v.id = a.latest_version_id");
  if (!stmt.ok()) return core_->failed("reading a version", stmt.failure());
  stmt->bind(1, url);
  return one_version(*core_, *stmt, std::string(url));
}

Result<std::optional<ArticleVersion>> Archive::latest_version(int64_t article_id) {
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT" VERSION_COLUMNS "WHERE a.id = ? AND v.id = a.latest_version_id");
  if (!stmt.ok()) return core_->failed("reading a version", stmt.failure());
  stmt->bind(1, article_id);
  return one_version(*core_, *stmt, "article " + std::to_string(article_id));
}

Result<std::vector<ArticleVersion>> Archive::versions(std::string_view url) {
  Result<sql::Statement> stmt =
      core_->db().prepare("SELECT" VERSION_COLUMNS "WHERE a.url = ? ORDER BY v.number");
  if (!stmt.ok()) return core_->failed("reading versions", stmt.failure());
  stmt->bind(1, url);
  std::vector<ArticleVersion> out;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) {
      return core_->failed("reading the versions of " + std::string(url), row.failure());
    }
    if (!*row) return out;
    out.push_back(version_from_row(*stmt));
  }
}

Status Archive::for_each_version(const VersionFilter& filter,
                                 const std::function<Status(const ArticleVersion&)>& visit) {
  // Its own statement: `visit` may use this Archive (cached statements) while this one steps.
  // Within a time range an article's latest version is its last one read from a capture in it.
  const bool ranged = !filter.captured.since.empty() || !filter.captured.until.empty();
  Result<sql::Statement> stmt = core_->db().prepare_uncached(
      ranged ? "SELECT" VERSION_COLUMNS
               "WHERE (?1 = '' OR a.site = ?1)"
               " AND (?3 = '' OR c.fetched_at >= ?3) AND (?4 = '' OR c.fetched_at <= ?4)"
               " AND (?2 OR v.number = (SELECT max(w.number) FROM article_versions w"
               "   JOIN captures d ON d.id = w.capture_id WHERE w.article_id = a.id"
               "   AND (?3 = '' OR d.fetched_at >= ?3) AND (?4 = '' OR d.fetched_at <= ?4)))"
               " ORDER BY a.id, v.number"
             : "SELECT" VERSION_COLUMNS
               "WHERE (?1 = '' OR a.site = ?1) AND (?2 OR v.id = a.latest_version_id)"
               " ORDER BY a.id, v.number");
  if (!stmt.ok()) return core_->failed("reading versions", stmt.failure());
  stmt->bind(1, filter.site).bind(2, int64_t{filter.all_versions ? 1 : 0});
  if (ranged) stmt->bind(3, filter.captured.since).bind(4, filter.captured.until);
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core_->failed("reading versions", row.failure());
    if (!*row) return Status::Ok();
    if (Status s = visit(version_from_row(*stmt)); !s.ok()) return s;
  }
}

Result<std::string> Archive::last_parse_error(std::string_view url) {
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT p.error FROM parses p JOIN captures c ON c.id = p.capture_id"
      " WHERE c.url_key = provarc_url_key(?1) AND c.url = ?1 AND p.outcome = 'failed'"
      " ORDER BY p.id DESC LIMIT 1");
  if (!stmt.ok()) return core_->failed("reading parse errors", stmt.failure());
  stmt->bind(1, url);
  Result<bool> row = stmt->step();
  if (!row.ok()) {
    return core_->failed("reading the parse errors of " + std::string(url), row.failure());
  }
  return *row ? stmt->text_at(0) : std::string();
}

Result<std::vector<int64_t>> Archive::pending_parses(std::string_view site,
                                                     std::string_view parser_version) {
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT c.id FROM articles a JOIN captures c"
      " ON c.url_key = provarc_url_key(a.url) AND c.url = a.url"
      " WHERE a.site = ?1 AND c.kind = 'page' AND c.outcome = 'ok'"
      " AND c.status BETWEEN 200 AND 299 AND c.blob_id IS NOT NULL"
      " AND NOT EXISTS (SELECT 1 FROM parses p WHERE p.capture_id = c.id"
      "                 AND p.parser_version = ?2)"
      " ORDER BY c.url, c.fetched_at, c.id");
  if (!stmt.ok()) return core_->failed("listing captures to parse", stmt.failure());
  stmt->bind(1, site).bind(2, parser_version);
  std::vector<int64_t> ids;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) {
      return core_->failed("listing captures of site " + std::string(site) + " to parse",
                           row.failure());
    }
    if (!*row) return ids;
    ids.push_back(stmt->int_at(0));
  }
}

Result<std::vector<std::string>> Archive::article_sites() {
  Result<sql::Statement> stmt =
      core_->db().prepare("SELECT DISTINCT site FROM articles ORDER BY site");
  if (!stmt.ok()) return core_->failed("listing sites", stmt.failure());
  std::vector<std::string> sites;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core_->failed("listing sites", row.failure());
    if (!*row) return sites;
    sites.push_back(stmt->text_at(0));
  }
}

}  // namespace provarc
