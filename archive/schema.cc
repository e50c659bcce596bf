#include "archive/schema.h"

#include <string>

namespace provarc {
namespace {

// Version 1: the whole model. Times are format_utc() strings; JSON columns are UTF-8 text.
// Keep docs/archive.md in step with this text.
const char* const kSchemaV1 = R"sql(
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,                 -- crawl, import, reparse, compact
  started_at  TEXT NOT NULL,
  ended_at    TEXT,                          -- NULL while running, or when the run was killed
  sites       TEXT NOT NULL,                 -- JSON array of site ids
  counts      TEXT                           -- JSON object, written by end_run
);

CREATE TABLE dictionaries (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: blobs name it
  site        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  pages       INTEGER NOT NULL,              -- the site's page blobs when it was trained
  samples     INTEGER NOT NULL,              -- how many of them were used as samples
  size        INTEGER NOT NULL,              -- bytes of the dictionary
  stored_size INTEGER NOT NULL,              -- length(data)
  data        BLOB NOT NULL                  -- the zstd dictionary (ZDICT_trainFromBuffer), itself
                                             -- zstd-compressed (no dictionary)
);
CREATE INDEX dictionaries_by_site ON dictionaries(site, id);

CREATE TABLE blobs (
  id            INTEGER PRIMARY KEY,
  digest        TEXT NOT NULL UNIQUE,        -- SHA-256 hex of the raw body
  site          TEXT NOT NULL,               -- the site that stored it first
  kind          TEXT NOT NULL,               -- capture kind of its first capture (page, image...)
  raw_size      INTEGER NOT NULL,
  stored_size   INTEGER NOT NULL,            -- length(data)
  codec         TEXT NOT NULL CHECK (codec IN ('zstd', 'none')),
  level         INTEGER NOT NULL DEFAULT 0,  -- zstd level it was compressed at (0 for none)
  dictionary_id INTEGER REFERENCES dictionaries(id),
  data          BLOB NOT NULL
);
CREATE INDEX blobs_by_site ON blobs(site, kind, dictionary_id);
CREATE INDEX blobs_by_dictionary ON blobs(dictionary_id);

CREATE TABLE captures (
  id               INTEGER PRIMARY KEY,
  run_id           INTEGER REFERENCES runs(id),
  url              TEXT NOT NULL,            -- canonical URL requested
  site             TEXT NOT NULL,
  kind             TEXT NOT NULL,            -- page, robots, sitemap, image, attachment
  parent_url       TEXT,
  fetched_at       TEXT NOT NULL,
  outcome          TEXT NOT NULL CHECK (outcome IN ('ok', 'not-modified', 'error')),
  error            TEXT,
  status           INTEGER NOT NULL,
  http_version     TEXT,
  request_headers  TEXT NOT NULL,            -- JSON [[name, value], ...] as sent
  response_headers TEXT NOT NULL,            -- JSON [[name, value], ...] as received
  content_type     TEXT,
  etag             TEXT,
  last_modified    TEXT,
  redirect_target  TEXT,
  ip               TEXT,
  payload_digest   TEXT,                     -- = blobs.digest; NULL when no body
  body_size        INTEGER NOT NULL DEFAULT 0,
  blob_id          INTEGER REFERENCES blobs(id)
);
CREATE INDEX captures_by_url ON captures(url, fetched_at, id);
CREATE INDEX captures_by_site ON captures(site, id);
CREATE INDEX captures_by_blob ON captures(blob_id);

CREATE TABLE articles (
  id                INTEGER PRIMARY KEY,
  url               TEXT NOT NULL UNIQUE,    -- canonical article URL: the article's identity
  site              TEXT NOT NULL,
  registered_at     TEXT NOT NULL,
  latest_version_id INTEGER REFERENCES article_versions(id),
  version_count     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_by_site ON articles(site, id);

CREATE TABLE article_versions (
  id             INTEGER PRIMARY KEY,
  article_id     INTEGER NOT NULL REFERENCES articles(id),
  number         INTEGER NOT NULL,           -- 1, 2, 3... in the order written
  capture_id     INTEGER NOT NULL REFERENCES captures(id),
  parser_version TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  title          TEXT,
  published      TEXT,
  content_hash   TEXT NOT NULL,              -- SHA-256 hex of the content, parser_version excluded
  json           TEXT NOT NULL,              -- the article as `provarc parse` prints it, one line
  UNIQUE (article_id, number)
);
CREATE INDEX article_versions_by_capture ON article_versions(capture_id);

CREATE TABLE parses (
  id             INTEGER PRIMARY KEY,        -- grows with every parse: the newest parse wins
  capture_id     INTEGER NOT NULL REFERENCES captures(id),
  parser_version TEXT NOT NULL,
  parsed_at      TEXT NOT NULL,
  outcome        TEXT NOT NULL CHECK (outcome IN ('changed', 'unchanged', 'failed')),
  version_id     INTEGER REFERENCES article_versions(id),  -- what the capture reads as
  error          TEXT,
  UNIQUE (capture_id, parser_version)
);
CREATE INDEX parses_by_version ON parses(version_id);

CREATE TABLE frontier (
  id          INTEGER PRIMARY KEY,
  site        TEXT NOT NULL,
  url         TEXT NOT NULL,
  depth       INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  parent_url  TEXT,
  priority    INTEGER NOT NULL DEFAULT 0,
  not_before  TEXT NOT NULL DEFAULT '',
  state       TEXT NOT NULL CHECK (state IN ('queued', 'in-progress', 'done', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  claimed_by  INTEGER REFERENCES runs(id),
  enqueued_at TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (site, url)
);
CREATE INDEX frontier_due ON frontier(site, state, priority DESC, not_before, id);
)sql";

// Version 2: what unattended crawls record. Articles whose page answered 404 or 410 are marked
// gone (never deleted); each crawl run keeps one row of counts per site, which `provarc runs`
// lists and the template check compares against.
const char* const kSchemaV2 = R"sql(
ALTER TABLE articles ADD COLUMN gone_at TEXT;         -- its page answered 404/410; NULL if served
ALTER TABLE articles ADD COLUMN gone_status INTEGER;  -- that answer's status

CREATE TABLE run_sites (
  run_id           INTEGER NOT NULL REFERENCES runs(id),
  site             TEXT NOT NULL,
  fetched          INTEGER NOT NULL DEFAULT 0,  -- requests completed, robots.txt included
  pages            INTEGER NOT NULL DEFAULT 0,  -- page requests
  new_articles     INTEGER NOT NULL DEFAULT 0,
  changed          INTEGER NOT NULL DEFAULT 0,
  unchanged        INTEGER NOT NULL DEFAULT 0,
  not_modified     INTEGER NOT NULL DEFAULT 0,  -- 304 answers to conditional GETs
  gone             INTEGER NOT NULL DEFAULT 0,  -- articles found gone in this run
  errors           INTEGER NOT NULL DEFAULT 0,
  failed           INTEGER NOT NULL DEFAULT 0,
  bytes            INTEGER NOT NULL DEFAULT 0,
  duration_ms      INTEGER NOT NULL DEFAULT 0,
  finished         INTEGER NOT NULL DEFAULT 0,  -- 1 when nothing was left queued
  parsed           INTEGER NOT NULL DEFAULT 0,  -- article pages extracted, or failing to
  body_missed      INTEGER NOT NULL DEFAULT 0,  -- ... whose configured body rules matched nothing
  missing_fields   INTEGER NOT NULL DEFAULT 0,  -- ... extracted without a title or a date
  suspect          INTEGER NOT NULL DEFAULT 0,  -- ... with either problem
  template_changed INTEGER NOT NULL DEFAULT 0,  -- 1 when the suspect share jumped
  examples         TEXT NOT NULL DEFAULT '[]',  -- JSON array of a few suspect page URLs
  PRIMARY KEY (run_id, site)
);
CREATE INDEX run_sites_by_site ON run_sites(site, run_id);
)sql";

// Version 3: a parse that kept less than the page held (more images or attachments than the
// extraction's caps) says so.
const char* const kSchemaV3 = R"sql(
ALTER TABLE parses ADD COLUMN note TEXT;  -- what an ok extraction left out; NULL when nothing
)sql";

// Version 4: full-text search (archive/search.h). An FTS5 index over every article version's
// title, author and body text, with provarc's folding tokenizer (archive/search_tokenizer.h).
// External content: the index reads the text from article_versions through search_source when
// it needs it (snippets, deletes, rebuilds) and stores none of it. The triggers keep it in step
// with article_versions inside the writer's own transaction; the migration indexes the versions
// an older archive already holds. The rank is bm25 with the title weighted 5, the author 2, the
// body 1. search_source is the one place that knows where the text is in a version's row.
const char* const kSchemaV4 = R"sql(
CREATE VIEW search_source AS
  SELECT id, title,
         CASE WHEN json_valid(json) THEN json_extract(json, '$.author') END AS author,
         CASE WHEN json_valid(json) THEN json_extract(json, '$.text') END AS body
  FROM article_versions;

CREATE VIRTUAL TABLE search USING fts5(
  title, author, body,
  content = 'search_source', content_rowid = 'id', tokenize = 'provarc_fold');
INSERT INTO search (search, rank) VALUES ('rank', 'bm25(5.0, 2.0, 1.0)');

CREATE TRIGGER search_version_added AFTER INSERT ON article_versions BEGIN
  INSERT INTO search (rowid, title, author, body)
    SELECT id, title, author, body FROM search_source WHERE id = new.id;
END;
CREATE TRIGGER search_version_removed BEFORE DELETE ON article_versions BEGIN
  INSERT INTO search (search, rowid, title, author, body)
    SELECT 'delete', id, title, author, body FROM search_source WHERE id = old.id;
END;
CREATE TRIGGER search_version_changing BEFORE UPDATE OF id, title, json ON article_versions BEGIN
  INSERT INTO search (search, rowid, title, author, body)
    SELECT 'delete', id, title, author, body FROM search_source WHERE id = old.id;
END;
CREATE TRIGGER search_version_changed AFTER UPDATE OF id, title, json ON article_versions BEGIN
  INSERT INTO search (rowid, title, author, body)
    SELECT id, title, author, body FROM search_source WHERE id = new.id;
END;

-- What a search filters on, without reading the versions' large rows (archive/search.cc).
CREATE INDEX articles_by_latest_version ON articles(latest_version_id, site);
CREATE INDEX article_versions_for_search ON article_versions(id, article_id, published);

INSERT INTO search (search) VALUES ('rebuild');
)sql";

// Version 5: the template check also counts pages whose fields the site's rules should have given
// but a generic finder had to (the extractor's provenance, issue 10), so a redesign is loud even
// when the fallback saves the article.
const char* const kSchemaV5 = R"sql(
ALTER TABLE run_sites ADD COLUMN fallback_fields INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 6: what the archive writes besides pages is compressed too (archive/packed_text.h).
// Each article version's JSON and each capture's headers are stored as a zstd frame (a BLOB in
// the same column) compressed with a dictionary trained on the site's texts of that kind; rows
// written before stay TEXT and read as they are until `provarc compact` packs them, in batches
// that each commit (a killed compact resumes). The new dictionary columns carry no REFERENCES:
// deleting an unused dictionary would otherwise scan every version and capture for each one.
// search_source reads the JSON through provarc_text(), and the update triggers fire only when
// a version's text changes, not when compact repacks it.
const char* const kSchemaV6 = R"sql(
ALTER TABLE dictionaries ADD COLUMN kind TEXT NOT NULL DEFAULT 'page'
  CHECK (kind IN ('page', 'article', 'headers'));  -- what it was trained on
DROP INDEX dictionaries_by_site;
CREATE INDEX dictionaries_by_site ON dictionaries(site, kind, id);
ALTER TABLE article_versions ADD COLUMN json_dictionary_id INTEGER;  -- json's dictionary
ALTER TABLE captures ADD COLUMN headers_dictionary_id INTEGER;       -- both headers' dictionary

DROP TRIGGER search_version_added;
DROP TRIGGER search_version_removed;
DROP TRIGGER search_version_changing;
DROP TRIGGER search_version_changed;
DROP VIEW search_source;
CREATE VIEW search_source AS
  SELECT id, title,
         CASE WHEN json_valid(article) THEN json_extract(article, '$.author') END AS author,
         CASE WHEN json_valid(article) THEN json_extract(article, '$.text') END AS body
  FROM (SELECT id, title, provarc_text(json, json_dictionary_id) AS article
        FROM article_versions);

CREATE TRIGGER search_version_added AFTER INSERT ON article_versions BEGIN
  INSERT INTO search (rowid, title, author, body)
    SELECT id, title, author, body FROM search_source WHERE id = new.id;
END;
CREATE TRIGGER search_version_removed BEFORE DELETE ON article_versions BEGIN
  INSERT INTO search (search, rowid, title, author, body)
    SELECT 'delete', id, title, author, body FROM search_source WHERE id = old.id;
END;
CREATE TRIGGER search_version_changing BEFORE UPDATE OF id, title, json ON article_versions
  WHEN old.id IS NOT new.id OR old.title IS NOT new.title
    OR provarc_text(old.json, old.json_dictionary_id)
       IS NOT provarc_text(new.json, new.json_dictionary_id) BEGIN
  INSERT INTO search (search, rowid, title, author, body)
    SELECT 'delete', id, title, author, body FROM search_source WHERE id = old.id;
END;
CREATE TRIGGER search_version_changed AFTER UPDATE OF id, title, json ON article_versions
  WHEN old.id IS NOT new.id OR old.title IS NOT new.title
    OR provarc_text(old.json, old.json_dictionary_id)
       IS NOT provarc_text(new.json, new.json_dictionary_id) BEGIN
  INSERT INTO search (rowid, title, author, body)
    SELECT id, title, author, body FROM search_source WHERE id = new.id;
END;
)sql";

// Version 7: URL identity (issue 12). The frontier knows each resource once, by its identity key
// (crawler/identity.h), under its best spelling; a capture filed under its resource's canonical
// URL keeps the URL it was fetched as; aliases link the URLs that stand for another to it; the
// session parameters a crawl learned are kept per site and host; and each crawl run records per
// site what its trap guards refused and what it learned.
const char* const kSchemaV7 = R"sql(
ALTER TABLE frontier ADD COLUMN identity TEXT NOT NULL DEFAULT '';  -- the identity key
ALTER TABLE frontier ADD COLUMN spelling INTEGER NOT NULL DEFAULT 0;  -- how good url is as its spelling
UPDATE frontier SET identity = url;
CREATE UNIQUE INDEX frontier_by_identity ON frontier(site, identity);

ALTER TABLE captures ADD COLUMN requested_url TEXT;  -- the URL sent, when url is its canonical spelling

CREATE TABLE aliases (
  url           TEXT PRIMARY KEY,              -- a URL that stands for another
  site          TEXT NOT NULL,
  canonical_url TEXT NOT NULL,                 -- what it stands for (an article's url, most often)
  evidence      TEXT NOT NULL,                 -- the signal that decided: "rel=canonical", "redirect 301"...
  capture_id    INTEGER REFERENCES captures(id),  -- the capture that showed it, if one did
  run_id        INTEGER REFERENCES runs(id),
  first_seen    TEXT NOT NULL
);
CREATE INDEX aliases_by_canonical ON aliases(canonical_url);

CREATE TABLE learned_sessions (
  site       TEXT NOT NULL,
  host       TEXT NOT NULL,                    -- authority, lowercase
  param      TEXT NOT NULL,                    -- lowercase
  path_param INTEGER NOT NULL,                 -- 1: ";name=value" in a path segment
  evidence   TEXT NOT NULL,                    -- what confirmed it
  learned_at TEXT NOT NULL,
  run_id     INTEGER REFERENCES runs(id),
  PRIMARY KEY (site, host, param, path_param)
);

ALTER TABLE run_sites ADD COLUMN guards TEXT NOT NULL DEFAULT '{}';   -- JSON {guard: URLs refused}
ALTER TABLE run_sites ADD COLUMN sessions TEXT NOT NULL DEFAULT '[]'; -- JSON [{host, param, ...}] learned
ALTER TABLE run_sites ADD COLUMN collapsed INTEGER NOT NULL DEFAULT 0; -- URLs of a resource already had
ALTER TABLE run_sites ADD COLUMN aliases INTEGER NOT NULL DEFAULT 0;   -- fetches that were aliases
)sql";

// Version 8: the archive's keys stored compactly (archive/stored_keys.h; issue 17). Measured per
// page on a crawl of the fixture web (1 000 pages), these were 330 of the file's 2 370 bytes:
// - SHA-256 digests as 32-byte BLOBs instead of 64 hex digits: blobs.digest (and its unique
//   index) and article_versions.content_hash. The declared types stay TEXT (changing them would
//   copy every blob); typeof() says blob.
// - captures.payload_digest is dropped: it was always the digest of the capture's blob (NULL with
//   no body), which is where it is read now.
// - The captures' URL index is over a 64-bit key of the URL (captures.url_key), not its text.
// - A frontier entry whose identity is its URL stores '' for it, and only the others are in the
//   unique index over identities (archive/frontier.cc keeps the rest of the rule).
// The search triggers watch id, title and json: rewriting content_hash fires none of them.
const char* const kSchemaV8 = R"sql(
UPDATE blobs SET digest = provarc_unhex(digest);
UPDATE article_versions SET content_hash = provarc_unhex(content_hash);

ALTER TABLE captures DROP COLUMN payload_digest;
ALTER TABLE captures ADD COLUMN url_key INTEGER NOT NULL DEFAULT 0;  -- provarc_url_key(url)
UPDATE captures SET url_key = provarc_url_key(url);
DROP INDEX captures_by_url;
CREATE INDEX captures_by_url ON captures(url_key);

DROP INDEX frontier_by_identity;
UPDATE frontier SET identity = '' WHERE identity = url;
CREATE UNIQUE INDEX frontier_by_identity ON frontier(site, identity) WHERE identity != '';
)sql";

}  // namespace

const std::vector<Migration>& archive_migrations() {
  static const std::vector<Migration> migrations = {
      {1, kSchemaV1}, {2, kSchemaV2}, {3, kSchemaV3}, {4, kSchemaV4}, {5, kSchemaV5}, {6, kSchemaV6},
      {7, kSchemaV7}, {8, kSchemaV8}};
  return migrations;
}

Status migrate(sql::Connection& db, const std::string& path,
               const std::vector<Migration>& migrations) {
  const int target = migrations.empty() ? 0 : migrations.back().to;
  if (Status s = db.exec("BEGIN IMMEDIATE"); !s.ok()) {
    return s.failure().prefixed(path + ": cannot start the schema migration: ");
  }
  auto abort = [&](const std::string& message) -> Status {
    (void)db.exec("ROLLBACK");
    return fail(message);
  };
  Result<int64_t> current = db.query_int("PRAGMA user_version");
  if (!current.ok()) return abort(path + ": cannot read the schema version: " + current.error());
  if (*current > target) {
    return abort(path + ": archive schema version " + std::to_string(*current) +
                 " is newer than this provarc supports (" + std::to_string(target) +
                 "); use a newer provarc");
  }
  for (const Migration& m : migrations) {
    if (m.to <= *current) continue;
    if (Status s = db.exec(m.sql); !s.ok()) {
      return abort(path + ": migrating the schema to version " + std::to_string(m.to) + ": " +
                   s.error());
    }
  }
  // PRAGMA takes no bound parameters; both values are integers of ours.
  std::string stamp = "PRAGMA user_version = " + std::to_string(target) +
                      "; PRAGMA application_id = " + std::to_string(kArchiveApplicationId) + ";";
  if (Status s = db.exec(stamp.c_str()); !s.ok()) {
    return abort(path + ": setting the schema version: " + s.error());
  }
  if (Status s = db.exec("COMMIT"); !s.ok()) {
    return abort(path + ": committing the schema migration: " + s.error());
  }
  return Status::Ok();
}

}  // namespace provarc
