// The Archive's opening, transactions, runs, captures, statistics and maintenance. Articles and
// versions are in versions.cc, the frontier in frontier.cc.
#include "archive/archive.h"

#include <sys/stat.h>

#include <ctime>
#include <map>

#include <nlohmann/json.hpp>

#include "archive/archive_core.h"
#include "archive/packed_text.h"
#include "archive/schema.h"
#include "archive/search_rank.h"
#include "archive/search_tokenizer.h"
#include "archive/stored_keys.h"
#include "common/digest.h"

namespace provarc {
namespace {

using Json = nlohmann::json;

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// Headers come from the network: invalid UTF-8 is replaced, never thrown on.
std::string headers_to_json(const std::vector<HttpHeader>& headers) {
  Json array = Json::array();
  for (const HttpHeader& h : headers) array.push_back({h.name, h.value});
  return array.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<HttpHeader> headers_from_json(const std::string& text) {
  std::vector<HttpHeader> headers;
  Json array = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return headers;
  for (const Json& pair : array) {
    if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
      headers.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
    }
  }
  return headers;
}

CaptureOutcome outcome_from_name(const std::string& name) {
  if (name == "ok") return CaptureOutcome::kOk;
  if (name == "not-modified") return CaptureOutcome::kNotModified;
  return CaptureOutcome::kError;
}

// Opens the connection, sets it up and brings the schema up to date.
Result<std::unique_ptr<sql::Connection>> connect(const std::string& path,
                                                 const ArchiveOptions& options) {
  const bool exists = file_exists(path);
  if (!exists && (options.read_only || !options.create)) {
    return fail(ErrorCode::kNotFound,
                path + ": no archive there (run `provarc import` or `provarc crawl` first, or "
                       "give --db)");
  }
  const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  Result<std::unique_ptr<sql::Connection>> opened =
      options.read_only ? sql::open_readable(path) : sql::Connection::open(path, flags);
  if (!opened.ok() && options.read_only) {
    return opened.failure().prefixed(path + ": not a readable provarc archive: ");
  }
  if (!opened.ok()) return opened.failure().prefixed(path + ": cannot open the archive: ");
  sql::Connection& db = **opened;
  sqlite3_busy_timeout(db.handle(), options.busy_timeout_ms);
  // Before anything touches the search index (the migration builds it, triggers write it).
  if (Status s = register_search_tokenizer(db.handle()); !s.ok()) {
    return fail(path + ": " + s.error());
  }
  if (Status s = register_search_rank(db.handle()); !s.ok()) return fail(path + ": " + s.error());
  if (Status s = register_packed_text(db.handle()); !s.ok()) return fail(path + ": " + s.error());
  if (Status s = register_stored_keys(db.handle()); !s.ok()) return fail(path + ": " + s.error());

  // The first read is where SQLite notices a file that is not a database.
  Result<int64_t> version = db.query_int("PRAGMA user_version");
  if (!version.ok()) {
    return version.failure().prefixed(path + ": not a readable provarc archive: ");
  }
  Result<int64_t> application = db.query_int("PRAGMA application_id");
  Result<int64_t> tables = db.query_int("SELECT count(*) FROM sqlite_master");
  if (!application.ok() || !tables.ok()) {
    return (application.ok() ? tables.failure() : application.failure())
        .prefixed(path + ": not a readable provarc archive: ");
  }
  if (*application != kArchiveApplicationId && (*version != 0 || *tables != 0)) {
    return fail(ErrorCode::kCorrupt,
                path + ": an SQLite database, but not a provarc archive (application_id " +
                    std::to_string(*application) + ")");
  }
  const int target = archive_schema_version();
  if (*version > target) {
    return fail(path + ": archive schema version " + std::to_string(*version) +
                " is newer than this provarc supports (" + std::to_string(target) +
                "); use a newer provarc");
  }
  if (Status s = db.exec("PRAGMA foreign_keys = ON"); !s.ok()) {
    return s.failure().prefixed(path + ": cannot enable foreign keys: ");
  }
  if (options.read_only) {
    if (*version < target) {
      return fail(path + ": archive schema version " + std::to_string(*version) +
                  " is older than this provarc's (" + std::to_string(target) +
                  "); open it once for writing (e.g. `provarc stats`) to migrate it");
    }
    return opened;
  }
  if (*tables == 0) {
    // A new file: let compact give the space of rewritten blobs back to the file system. Only
    // possible before the file's first page is written (journal_mode = WAL writes it).
    if (Status s = db.exec("PRAGMA auto_vacuum = INCREMENTAL"); !s.ok()) {
      return s.failure().prefixed(path + ": cannot set up the new archive: ");
    }
  }
  // WAL: readers (show, export) work while a crawl or re-parse writes. NORMAL sync in WAL mode
  // survives any process crash; a power cut may lose the last transactions, never corrupt.
  if (Status s = db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"); !s.ok()) {
    return s.failure().prefixed(path + ": cannot switch to WAL mode: ");
  }
  if (options.max_page_count > 0) {
    std::string pragma = "PRAGMA max_page_count = " + std::to_string(options.max_page_count);
    if (Status s = db.exec(pragma.c_str()); !s.ok()) {
      return s.failure().prefixed(path + ": cannot cap the size: ");
    }
  }
  if (*version < target) {
    if (Status s = migrate(db, path, archive_migrations()); !s.ok()) return s.failure();
  }
  return opened;
}

// The sites that have captures (only `only_site` when not empty), sorted: every site compact may
// have something of to pack.
Result<std::vector<std::string>> capture_sites(ArchiveCore& core, std::string_view only_site) {
  Result<sql::Statement> stmt = core.db().prepare(
      "SELECT DISTINCT site FROM captures WHERE (?1 = '' OR site = ?1) ORDER BY site");
  if (!stmt.ok()) return core.failed("compacting", stmt.failure());
  stmt->bind(1, only_site);
  std::vector<std::string> sites;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core.failed("compacting", row.failure());
    if (!*row) break;
    sites.push_back(stmt->text_at(0));
  }
  return sites;
}

// Trains a dictionary of `kind` for `site` when it has enough rows of it and none yet, or when it
// has doubled since its newest one was trained (compact is the time to spend on it). Failing to
// train (too few rows, zstd declining, a page that does not decompress: ErrorCode::kOther) is not
// an error: rows are then recompressed with the dictionary the site has, or none. The archive
// failing (busy, full, I/O, ...: the codes SQLite gives) is.
Status refresh_dictionary(ArchiveCore& core, const std::string& site, DictionaryKind kind) {
  const int min_rows = core.options().dictionary_min_pages;
  if (min_rows <= 0) return Status::Ok();
  Result<int64_t> rows = core.count_rows(site, kind);
  if (!rows.ok()) return rows.failure();
  Result<sql::Statement> stmt = core.db().prepare(
      "SELECT pages FROM dictionaries WHERE site = ? AND kind = ? ORDER BY id DESC LIMIT 1");
  if (!stmt.ok()) return core.failed("compacting site " + site, stmt.failure());
  stmt->bind(1, site).bind(2, std::string_view(dictionary_kind_name(kind)));
  Result<bool> row = stmt->step();
  if (!row.ok()) return core.failed("compacting site " + site, row.failure());
  const bool has_dictionary = *row;
  const int64_t trained_at = has_dictionary ? stmt->int_at(0) : 0;
  if (*rows < min_rows || (has_dictionary && *rows < trained_at * 2)) return Status::Ok();
  Status trained = core.transaction([&]() -> Status {
    Result<int64_t> id = core.train_site_dictionary(site, kind);
    return id.ok() ? Status::Ok() : Status(id.failure());
  });
  return trained.code() == ErrorCode::kOther ? Status::Ok() : trained;
}

// The ids of up to `limit` page blobs of `site` after `after_id` that compact has not yet
// rewritten with `dictionary_id` (0: none) at compact_level.
Result<std::vector<int64_t>> blobs_to_recompress(ArchiveCore& core, const std::string& site,
                                                 int64_t dictionary_id, int64_t after_id,
                                                 int64_t limit) {
  Result<sql::Statement> stmt = core.db().prepare(
      "SELECT id FROM blobs WHERE site = ?1 AND kind = 'page' AND id > ?2"
      " AND NOT (level >= ?3 AND (codec = 'none' OR dictionary_id IS ?4)) ORDER BY id LIMIT ?5");
  if (!stmt.ok()) return core.failed("compacting site " + site, stmt.failure());
  stmt->bind(1, site).bind(2, after_id).bind(3, int64_t{core.options().compact_level});
  if (dictionary_id == 0) stmt->bind_null(4); else stmt->bind(4, dictionary_id);
  stmt->bind(5, limit);
  std::vector<int64_t> ids;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core.failed("compacting site " + site, row.failure());
    if (!*row) break;
    ids.push_back(stmt->int_at(0));
  }
  return ids;
}

// Rewrites blob `blob_id` compressed with `dictionary_id` at compact_level, or raw when that does
// not make it smaller than raw. Every blob ends up on the newest dictionary (or none), so older
// dictionaries can be deleted. Call inside a transaction.
Status recompress_blob(ArchiveCore& core, int64_t blob_id, int64_t dictionary_id) {
  Result<std::string> body = core.read_blob(blob_id);
  if (!body.ok()) return body.failure();
  if (Status s = core.load_dictionary(dictionary_id); !s.ok()) return s;
  const int level = core.options().compact_level;
  Result<std::string> compressed = core.codec().compress(*body, level, dictionary_id);
  if (!compressed.ok()) {
    return fail(core.path() + ": recompressing blob " + std::to_string(blob_id) + ": " +
                compressed.error());
  }
  const bool raw = compressed->size() >= body->size();
  const std::string& data = raw ? *body : *compressed;
  Result<sql::Statement> update = core.db().prepare(
      "UPDATE blobs SET codec = ?, level = ?, dictionary_id = ?, stored_size = ?, data = ?"
      " WHERE id = ?");
  if (!update.ok()) return core.failed("recompressing blobs", update.failure());
  update->bind(1, std::string_view(raw ? "none" : "zstd")).bind(2, int64_t{level});
  if (raw || dictionary_id == 0) update->bind_null(3); else update->bind(3, dictionary_id);
  update->bind(4, static_cast<int64_t>(data.size())).bind_blob(5, data).bind(6, blob_id);
  if (Status s = update->run(); !s.ok()) {
    return core.failed("recompressing blob " + std::to_string(blob_id), s.failure());
  }
  return Status::Ok();
}

// Recompresses `site`'s page blobs with its newest dictionary, in batches each committed on its
// own, so an interrupted compact keeps its progress. Returns the number rewritten.
Result<int64_t> compact_site(ArchiveCore& core, const std::string& site) {
  if (Status s = refresh_dictionary(core, site, DictionaryKind::kPage); !s.ok()) return s.failure();
  Result<int64_t> newest = core.newest_dictionary(site, DictionaryKind::kPage);
  if (!newest.ok()) return newest.failure();
  constexpr int64_t kBatch = 200;
  int64_t rewritten = 0;
  int64_t after_id = 0;
  for (;;) {
    Result<std::vector<int64_t>> ids = blobs_to_recompress(core, site, *newest, after_id, kBatch);
    if (!ids.ok()) return ids.failure();
    if (ids->empty()) return rewritten;
    after_id = ids->back();
    Status s = core.transaction([&]() -> Status {
      for (int64_t id : *ids) {
        if (Status r = recompress_blob(core, id, *newest); !r.ok()) return r;
        ++rewritten;
      }
      return Status::Ok();
    });
    if (!s.ok()) return s.failure();
  }
}

// One batch of packed rows to rewrite: their ids, sites and texts (one or two per row).
struct TextRow {
  int64_t id = 0;
  std::string site;
  std::vector<std::string> texts;
};

// Up to `limit` rows of `kind` after `after_id`, of `site` ("" for all), that are not packed
// (TEXT, written before schema v6) or not on their site's newest dictionary of that kind.
Result<std::vector<TextRow>> rows_to_repack(ArchiveCore& core, std::string_view site,
                                            DictionaryKind kind, int64_t after_id, int64_t limit) {
  const bool article = kind == DictionaryKind::kArticle;
  Result<sql::Statement> stmt = core.db().prepare(
      article
          ? "SELECT v.id, a.site, provarc_text(v.json, v.json_dictionary_id)"
            " FROM article_versions v JOIN articles a ON a.id = v.article_id"
            " WHERE v.id > ?1 AND (?2 = '' OR a.site = ?2) AND (typeof(v.json) != 'blob'"
            " OR v.json_dictionary_id IS NOT (SELECT max(d.id) FROM dictionaries d"
            " WHERE d.site = a.site AND d.kind = 'article')) ORDER BY v.id LIMIT ?3"
          : "SELECT c.id, c.site, provarc_text(c.request_headers, c.headers_dictionary_id),"
            " provarc_text(c.response_headers, c.headers_dictionary_id) FROM captures c"
            " WHERE c.id > ?1 AND (?2 = '' OR c.site = ?2) AND (typeof(c.request_headers) != 'blob'"
            " OR typeof(c.response_headers) != 'blob' OR c.headers_dictionary_id IS NOT"
            " (SELECT max(d.id) FROM dictionaries d WHERE d.site = c.site AND d.kind = 'headers'))"
            " ORDER BY c.id LIMIT ?3");
  const std::string doing = std::string("packing ") + (article ? "versions" : "headers");
  if (!stmt.ok()) return core.failed(doing, stmt.failure());
  stmt->bind(1, after_id).bind(2, site).bind(3, limit);
  std::vector<TextRow> rows;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core.failed(doing, row.failure());
    if (!*row) return rows;
    TextRow r{stmt->int_at(0), stmt->text_at(1), {stmt->text_at(2)}};
    if (!article) r.texts.push_back(stmt->text_at(3));
    rows.push_back(std::move(r));
  }
}

// Rewrites `row` packed at compact_level with its site's newest dictionary of `kind`. Call inside
// a transaction.
Status repack_row(ArchiveCore& core, DictionaryKind kind, const TextRow& row) {
  Result<int64_t> dictionary_id = core.newest_dictionary(row.site, kind);
  if (!dictionary_id.ok()) return dictionary_id.failure();
  std::vector<std::string> frames;
  for (const std::string& text : row.texts) {
    Result<std::string> frame =
        core.codec().compress(text, core.options().compact_level, *dictionary_id);
    if (!frame.ok()) return fail(core.path() + ": packing row " + std::to_string(row.id) + ": " +
                                 frame.error());
    frames.push_back(std::move(*frame));
  }
  const bool article = kind == DictionaryKind::kArticle;
  Result<sql::Statement> update = core.db().prepare(
      article ? "UPDATE article_versions SET json = ?1, json_dictionary_id = ?3 WHERE id = ?4"
              : "UPDATE captures SET request_headers = ?1, response_headers = ?2,"
                " headers_dictionary_id = ?3 WHERE id = ?4");
  const std::string what = (article ? "version " : "capture ") + std::to_string(row.id);
  if (!update.ok()) return core.failed("packing " + what, update.failure());
  update->bind_blob(1, frames[0]);
  if (!article) update->bind_blob(2, frames[1]);
  if (*dictionary_id == 0) update->bind_null(3); else update->bind(3, *dictionary_id);
  update->bind(4, row.id);
  if (Status s = update->run(); !s.ok()) return core.failed("packing " + what, s.failure());
  return Status::Ok();
}

// Packs the rows of `kind` (article versions, or captures' headers) of `site` ("" for all) that
// rows_to_repack() picks, in batches that each commit: an interrupted compact (or the conversion
// of an archive from before schema v6) keeps its progress and the next run goes on. Returns how
// many rows were rewritten.
Result<int64_t> repack_texts(ArchiveCore& core, std::string_view site, DictionaryKind kind) {
  constexpr int64_t kBatch = 500;
  int64_t rewritten = 0;
  int64_t after_id = 0;
  for (;;) {
    int64_t batch = 0;
    Status s = core.transaction([&]() -> Status {
      Result<std::vector<TextRow>> rows = rows_to_repack(core, site, kind, after_id, kBatch);
      if (!rows.ok()) return rows.failure();
      for (const TextRow& row : *rows) {
        if (Status r = repack_row(core, kind, row); !r.ok()) return r;
        after_id = row.id;
      }
      batch = static_cast<int64_t>(rows->size());
      return Status::Ok();
    });
    if (!s.ok()) return s.failure();
    if (batch == 0) return rewritten;
    rewritten += batch;
  }
}

}  // namespace

int archive_schema_version() { return archive_migrations().back().to; }

Result<std::unique_ptr<Archive>> Archive::open(const std::string& path,
                                               const ArchiveOptions& options) {
  Result<std::unique_ptr<sql::Connection>> db = connect(path, options);
  if (!db.ok()) return db.failure();
  auto core = std::make_unique<ArchiveCore>(path, options, std::move(*db));
  return std::unique_ptr<Archive>(new Archive(std::move(core)));
}

Archive::Archive(std::unique_ptr<ArchiveCore> core) : path_(core->path()), core_(std::move(core)) {}

Archive::~Archive() = default;

Status Archive::transaction(const std::function<Status()>& body) {
  return core_->transaction(body);
}

// ---- Runs

Result<int64_t> Archive::begin_run(std::string_view kind, const std::vector<std::string>& sites) {
  int64_t id = 0;
  Status s = core_->transaction([&]() -> Status {
    Result<sql::Statement> stmt = core_->db().prepare(
        "INSERT INTO runs (kind, started_at, sites) VALUES (?, ?, ?)");
    if (!stmt.ok()) return core_->failed("starting a run", stmt.failure());
    std::string sites_json = Json(sites).dump(-1, ' ', false, Json::error_handler_t::replace);
    stmt->bind(1, kind).bind(2, utc_now()).bind(3, sites_json);
    if (Status run = stmt->run(); !run.ok()) return core_->failed("starting a run", run.failure());
    id = core_->db().last_insert_id();
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  return id;
}

Status Archive::end_run(int64_t run_id, std::string_view counts_json) {
  return core_->transaction([&]() -> Status {
    Result<sql::Statement> stmt =
        core_->db().prepare("UPDATE runs SET ended_at = ?, counts = ? WHERE id = ?");
    if (!stmt.ok()) return core_->failed("ending a run", stmt.failure());
    stmt->bind(1, utc_now()).bind(2, counts_json).bind(3, run_id);
    if (Status s = stmt->run(); !s.ok()) {
      return core_->failed("ending run " + std::to_string(run_id), s.failure());
    }
    if (core_->db().changes() == 0) return fail(path_ + ": no run " + std::to_string(run_id));
    return Status::Ok();
  });
}

// ---- Captures

Result<int64_t> Archive::store_capture(const Capture& c, int64_t run_id) {
  int64_t capture_id = 0;
  const std::string doing = "storing the capture of " + c.url;
  Status s = core_->transaction([&]() -> Status {
    int64_t blob_id = 0;
    std::string digest;
    if (!c.body.empty()) {
      digest = sha256_hex(c.body);
      Result<int64_t> blob = core_->store_blob(c.site, c.kind, c.body, digest, c.url);
      if (!blob.ok()) return blob.failure();
      blob_id = *blob;
    }
    const std::string request = headers_to_json(c.request_headers);
    const std::string response = headers_to_json(c.response_headers);
    Result<ArchiveCore::PackedTexts> headers =
        core_->pack_texts(c.site, DictionaryKind::kHeaders, {request, response});
    if (!headers.ok()) return headers.failure();
    Result<sql::Statement> stmt = core_->db().prepare(
        "INSERT INTO captures (run_id, url, site, kind, parent_url, fetched_at, outcome, error,"
        " status, http_version, request_headers, response_headers, content_type, etag,"
        " last_modified, redirect_target, ip, url_key, body_size, blob_id,"
        " headers_dictionary_id, requested_url)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
        " provarc_url_key(?2), ?18, ?19, ?20, ?21)");
    if (!stmt.ok()) return core_->failed(doing, stmt.failure());
    if (run_id > 0) stmt->bind(1, run_id); else stmt->bind_null(1);
    stmt->bind(2, c.url)
        .bind(3, c.site)
        .bind(4, std::string_view(capture_kind_name(c.kind)))
        .bind_or_null(5, c.parent_url)
        .bind(6, c.fetched_at.empty() ? utc_now() : c.fetched_at)
        .bind(7, std::string_view(capture_outcome_name(c.outcome)))
        .bind_or_null(8, c.error)
        .bind(9, int64_t{c.status})
        .bind_or_null(10, c.http_version)
        .bind_blob(11, headers->frames[0])
        .bind_blob(12, headers->frames[1])
        .bind_or_null(13, header_value(c.response_headers, "Content-Type"))
        .bind_or_null(14, header_value(c.response_headers, "ETag"))
        .bind_or_null(15, header_value(c.response_headers, "Last-Modified"))
        .bind_or_null(16, c.redirect_target)
        .bind_or_null(17, c.ip)
        .bind(18, static_cast<int64_t>(c.body.size()));
    if (blob_id > 0) stmt->bind(19, blob_id); else stmt->bind_null(19);
    if (headers->dictionary_id > 0) {
      stmt->bind(20, headers->dictionary_id);
    } else {
      stmt->bind_null(20);
    }
    stmt->bind_or_null(21, c.requested_url);
    if (Status run = stmt->run(); !run.ok()) return core_->failed(doing, run.failure());
    capture_id = core_->db().last_insert_id();
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  return capture_id;
}

Result<StoredCapture> Archive::capture(int64_t id, bool with_body) {
  const std::string what = "capture " + std::to_string(id);
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT run_id, url, site, kind, parent_url, fetched_at, outcome, error, status,"
      " http_version, provarc_text(request_headers, headers_dictionary_id),"
      " provarc_text(response_headers, headers_dictionary_id), redirect_target, ip,"
      " (SELECT provarc_hex(digest) FROM blobs b WHERE b.id = captures.blob_id), body_size,"
      " blob_id, requested_url FROM captures WHERE id = ?");
  if (!stmt.ok()) return core_->failed("reading " + what, stmt.failure());
  stmt->bind(1, id);
  Result<bool> row = stmt->step();
  if (!row.ok()) return core_->failed("reading " + what, row.failure());
  if (!*row) return fail(path_ + ": no " + what);
  StoredCapture out;
  out.id = id;
  out.run_id = stmt->is_null(0) ? 0 : stmt->int_at(0);
  Capture& c = out.capture;
  c.url = stmt->text_at(1);
  c.site = stmt->text_at(2);
  c.kind = capture_kind_from_name(stmt->text_at(3));
  c.parent_url = stmt->text_at(4);
  c.fetched_at = stmt->text_at(5);
  c.outcome = outcome_from_name(stmt->text_at(6));
  c.error = stmt->text_at(7);
  c.status = static_cast<int>(stmt->int_at(8));
  c.http_version = stmt->text_at(9);
  c.request_headers = headers_from_json(stmt->text_at(10));
  c.response_headers = headers_from_json(stmt->text_at(11));
  c.redirect_target = stmt->text_at(12);
  c.ip = stmt->text_at(13);
  out.payload_digest = stmt->text_at(14);
  out.body_size = stmt->int_at(15);
  int64_t blob_id = stmt->is_null(16) ? 0 : stmt->int_at(16);
  c.requested_url = stmt->text_at(17);
  if (with_body && blob_id != 0) {
    Result<std::string> body = core_->read_blob(blob_id);
    if (!body.ok()) return fail(body.error() + " (the body of " + what + ", " + c.url + ")");
    c.body = std::move(*body);
  }
  return out;
}

Status Archive::for_each_capture(const CaptureFilter& filter, bool with_body,
                                 const std::function<Status(const StoredCapture&)>& visit) {
  // Its own statement, whose sort SQLite spills to temporary files past its cache: `visit` reads
  // each capture through the cached statement of capture() while this one steps.
  Result<sql::Statement> ids = core_->db().prepare_uncached(
      "SELECT id FROM captures WHERE (?1 = '' OR site = ?1)"
      " AND (?2 = '' OR fetched_at >= ?2) AND (?3 = '' OR fetched_at <= ?3)"
      " ORDER BY fetched_at, id");
  if (!ids.ok()) return core_->failed("listing captures", ids.failure());
  ids->bind(1, filter.site).bind(2, filter.fetched.since).bind(3, filter.fetched.until);
  for (;;) {
    Result<bool> row = ids->step();
    if (!row.ok()) return core_->failed("listing captures", row.failure());
    if (!*row) return Status::Ok();
    Result<StoredCapture> stored = capture(ids->int_at(0), with_body);
    if (!stored.ok()) return stored.failure();
    if (Status s = visit(*stored); !s.ok()) return s;
  }
}

Result<std::optional<StoredCapture>> Archive::latest_capture(std::string_view url, bool with_body) {
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT id FROM captures WHERE url_key = provarc_url_key(?1) AND url = ?1"
      " ORDER BY fetched_at DESC, id DESC LIMIT 1");
  if (!stmt.ok()) return core_->failed("finding the latest capture", stmt.failure());
  stmt->bind(1, url);
  Result<bool> row = stmt->step();
  if (!row.ok()) {
    return core_->failed("finding the latest capture of " + std::string(url), row.failure());
  }
  if (!*row) return std::optional<StoredCapture>();
  int64_t id = stmt->int_at(0);
  Result<StoredCapture> found = capture(id, with_body);
  if (!found.ok()) return found.failure();
  return std::optional<StoredCapture>(std::move(*found));
}

Result<Validators> Archive::validators(std::string_view url) {
  Result<sql::Statement> stmt = core_->db().prepare(
      "SELECT etag, last_modified FROM captures WHERE url_key = provarc_url_key(?1) AND url = ?1"
      " AND outcome = 'ok'"
      " AND status BETWEEN 200 AND 299 AND blob_id IS NOT NULL"
      " ORDER BY fetched_at DESC, id DESC LIMIT 1");
  if (!stmt.ok()) return core_->failed("reading validators", stmt.failure());
  stmt->bind(1, url);
  Result<bool> row = stmt->step();
  if (!row.ok()) {
    return core_->failed("reading the validators of " + std::string(url), row.failure());
  }
  Validators v;
  if (*row) {
    v.etag = stmt->text_at(0);
    v.last_modified = stmt->text_at(1);
  }
  return v;
}

// ---- Statistics and maintenance

Result<std::vector<SiteStats>> Archive::stats() {
  std::map<std::string, SiteStats> by_site;
  // Each query adds its columns to the site's row: site, then up to three numbers.
  struct Part {
    const char* sql;
    void (*apply)(SiteStats&, const sql::Statement&);
  };
  static const Part parts[] = {
      {"SELECT site, count(*), sum(body_size) FROM captures GROUP BY site",
       [](SiteStats& s, const sql::Statement& st) {
         s.captures = st.int_at(1);
         s.raw_bytes = st.int_at(2);
       }},
      {"SELECT site, count(*), sum(version_count) FROM articles GROUP BY site",
       [](SiteStats& s, const sql::Statement& st) {
         s.articles = st.int_at(1);
         s.versions = st.int_at(2);
       }},
      {"SELECT site, count(*), sum(stored_size) FROM blobs GROUP BY site",
       [](SiteStats& s, const sql::Statement& st) {
         s.blobs = st.int_at(1);
         s.stored_bytes += st.int_at(2);
       }},
      {"SELECT site, count(*), sum(stored_size) FROM dictionaries WHERE kind = 'page'"
       " GROUP BY site",
       [](SiteStats& s, const sql::Statement& st) { s.stored_bytes += st.int_at(2); }},
  };
  // One read transaction: the four queries see the same snapshot while a crawl writes.
  if (Status s = core_->db().exec("BEGIN"); !s.ok()) {
    return core_->failed("reading statistics", s.failure());
  }
  for (const Part& part : parts) {
    Result<sql::Statement> stmt = core_->db().prepare(part.sql);
    if (!stmt.ok()) {
      (void)core_->db().exec("ROLLBACK");
      return core_->failed("reading statistics", stmt.failure());
    }
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row.ok()) {
        (void)core_->db().exec("ROLLBACK");
        return core_->failed("reading statistics", row.failure());
      }
      if (!*row) break;
      SiteStats& site = by_site[stmt->text_at(0)];
      site.site = stmt->text_at(0);
      part.apply(site, *stmt);
    }
  }
  (void)core_->db().exec("COMMIT");
  std::vector<SiteStats> out;
  for (auto& [site, stats] : by_site) out.push_back(stats);
  return out;
}

namespace {

// The part of the file (FileStats::parts) that table `table` belongs to.
const char* file_part_of(const std::string& table) {
  static const std::pair<const char*, const char*> parts[] = {
      {"blobs", "pages"},      {"dictionaries", "pages"},    {"articles", "articles"},
      {"article_versions", "articles"}, {"parses", "articles"}, {"captures", "captures"},
      {"frontier", "frontier"}};
  for (const auto& [name, part] : parts) {
    if (table == name) return part;
  }
  // The FTS5 table's shadow tables: search_data, search_idx, search_docsize, search_config.
  if (table.rfind("search", 0) == 0) return "search";
  return "other";
}

}  // namespace

Result<FileStats> Archive::file_stats() {
  FileStats out;
  for (const char* part :
       {"pages", "articles", "captures", "frontier", "search", "other", "free"}) {
    out.parts.emplace_back(part, 0);
  }
  auto add = [&](const std::string& part, int64_t bytes) {
    for (auto& [name, total] : out.parts) {
      if (name == part) total += bytes;
    }
  };
  // One read transaction: the counts and the pages of one snapshot while a crawl writes.
  if (Status s = core_->db().exec("BEGIN"); !s.ok()) {
    return core_->failed("measuring the file", s.failure());
  }
  Status read = [&]() -> Status {
    // dbstat('main', 1): one row per table or index with the bytes of all its pages.
    Result<sql::Statement> stmt = core_->db().prepare(
        "SELECT coalesce(s.tbl_name, d.name), sum(d.pgsize) FROM dbstat('main', 1) d"
        " LEFT JOIN sqlite_schema s ON s.name = d.name GROUP BY 1");
    if (!stmt.ok()) return core_->failed("measuring the file", stmt.failure());
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row.ok()) return core_->failed("measuring the file", row.failure());
      if (!*row) break;
      add(file_part_of(stmt->text_at(0)), stmt->int_at(1));
    }
    Result<int64_t> page_size = core_->db().query_int("PRAGMA page_size");
    Result<int64_t> free_pages = core_->db().query_int("PRAGMA freelist_count");
    Result<int64_t> page_count = core_->db().query_int("PRAGMA page_count");
    Result<int64_t> pages =
        core_->db().query_int("SELECT count(*) FROM captures WHERE kind = 'page'");
    for (const Result<int64_t>* r : {&page_size, &free_pages, &page_count, &pages}) {
      if (!r->ok()) return core_->failed("measuring the file", r->failure());
    }
    add("free", *free_pages * *page_size);
    out.bytes = *page_count * *page_size;
    out.pages = *pages;
    // Pages dbstat does not list (pointer maps of an auto-vacuum file, the lock page) count as
    // "other", so that the parts add up to the file.
    int64_t listed = 0;
    for (const auto& part : out.parts) listed += part.second;
    add("other", out.bytes - listed);
    return Status::Ok();
  }();
  (void)core_->db().exec("COMMIT");
  if (!read.ok()) return read.failure();
  return out;
}

Result<CompactCounts> Archive::compact(std::string_view only_site) {
  Result<std::vector<std::string>> sites = capture_sites(*core_, only_site);
  if (!sites.ok()) return sites.failure();
  CompactCounts counts;
  for (const std::string& site : *sites) {
    Result<int64_t> count = compact_site(*core_, site);
    if (!count.ok()) return count.failure();
    counts.blobs += *count;
    for (DictionaryKind kind : {DictionaryKind::kArticle, DictionaryKind::kHeaders}) {
      if (Status s = refresh_dictionary(*core_, site, kind); !s.ok()) return s.failure();
    }
  }
  Result<int64_t> versions = repack_texts(*core_, only_site, DictionaryKind::kArticle);
  if (!versions.ok()) return versions.failure();
  counts.versions = *versions;
  Result<int64_t> captures = repack_texts(*core_, only_site, DictionaryKind::kHeaders);
  if (!captures.ok()) return captures.failure();
  counts.captures = *captures;
  // Dictionaries nothing uses any more, except each site's newest of each kind (new rows will use
  // it). Each NOT IN list is built once.
  Status s = core_->transaction([&]() -> Status {
    Result<sql::Statement> stmt = core_->db().prepare(
        "DELETE FROM dictionaries WHERE id NOT IN (SELECT dictionary_id FROM blobs"
        " WHERE dictionary_id IS NOT NULL) AND id NOT IN (SELECT json_dictionary_id"
        " FROM article_versions WHERE json_dictionary_id IS NOT NULL) AND id NOT IN"
        " (SELECT headers_dictionary_id FROM captures WHERE headers_dictionary_id IS NOT NULL)"
        " AND id NOT IN (SELECT max(id) FROM dictionaries GROUP BY site, kind)");
    if (!stmt.ok()) return core_->failed("deleting unused dictionaries", stmt.failure());
    if (Status run = stmt->run(); !run.ok()) {
      return core_->failed("deleting unused dictionaries", run.failure());
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.failure();
  // Rewritten rows left free pages behind: return them to the file system.
  if (Status vacuum = core_->db().exec("PRAGMA incremental_vacuum"); !vacuum.ok()) {
    return core_->failed("freeing space after compacting", vacuum.failure());
  }
  return counts;
}

Status Archive::vacuum() {
  if (Status s = core_->db().exec("VACUUM"); !s.ok()) {
    return core_->failed("vacuuming", s.failure());
  }
  return Status::Ok();
}

Status Archive::check_integrity() {
  Result<sql::Statement> stmt = core_->db().prepare("PRAGMA integrity_check");
  if (!stmt.ok()) return core_->failed("checking integrity", stmt.failure());
  std::string problems;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row.ok()) return core_->failed("checking integrity", row.failure());
    if (!*row) break;
    std::string line = stmt->text_at(0);
    if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
  }
  if (!problems.empty()) return fail(path_ + ": integrity check failed: " + problems);
  // The search index: its own structure (FTS5 runs that check as an INSERT, which a read-only
  // connection refuses), then its words against the versions' text.
  if (!core_->options().read_only) {
    if (Status s = core_->db().exec("INSERT INTO search (search) VALUES ('integrity-check')");
        !s.ok()) {
      return fail(path_ + ": integrity check failed: the search index is damaged (`provarc "
                          "reindex` rebuilds it): " + s.error());
    }
  }
  if (Status s = check_search_index(*core_); !s.ok()) {
    return s.failure().prefixed(path_ + ": integrity check failed: ");
  }
  return Status::Ok();
}

}  // namespace provarc
