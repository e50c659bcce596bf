// archive/archive.h: the archive, one SQLite file holding every capture (content-addressed zstd
// blobs), every version of every article, the crawl frontier and the runs (docs/archive.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/search.h"
#include "common/article_change.h"
#include "common/capture.h"
#include "common/frontier.h"
#include "common/identity.h"
#include "common/result.h"
#include "common/site_progress.h"
#include "common/time.h"  // format_utc(): every time the archive holds, sorting in time order

namespace provarc {

// The schema version this binary writes (PRAGMA user_version). Older files are migrated forward on
// open; a newer file is refused with a message asking for a newer provarc.
int archive_schema_version();

struct ArchiveOptions {
  bool read_only = false;  // open with SQLITE_OPEN_READONLY; every write then fails
  bool create = true;      // create the file (and its schema) when missing; ignored when read_only
  // How long a statement waits for another connection's write lock before failing with a
  // "locked" error naming the file.
  int busy_timeout_ms = 5000;
  // zstd level for page bodies as they are stored; images and attachments (already compressed)
  // use level 3. compact() recompresses pages at compact_level.
  int compression_level = 12;
  int compact_level = 19;
  // A site's first dictionary is trained once it has this many page blobs; a new one each time its
  // count has grown fourfold since the last (so a site gets a handful of dictionaries, not one per
  // page). 0 disables dictionaries.
  int dictionary_min_pages = 32;
  int dictionary_size = 256 * 1024;  // bytes; stored compressed, so size costs little
  // When > 0, caps the file at this many pages (PRAGMA max_page_count): a write beyond it fails as
  // a full disk does. Tests use it to simulate SQLITE_FULL.
  int64_t max_page_count = 0;
};

// A capture as read back from the archive.
struct StoredCapture {
  int64_t id = 0;
  int64_t run_id = 0;           // 0 when stored outside a run
  Capture capture;              // `body` is filled only when asked for
  std::string payload_digest;   // SHA-256 hex of the body, "" when the capture has none
  int64_t body_size = 0;        // bytes of the raw body
};

// The conditional-GET validators of a URL's latest ok capture ("" when absent).
struct Validators {
  std::string etag;
  std::string last_modified;
};

// The outcome of parsing one capture, as `ingest` (cli/ingest.h) hands it to record_parse(). The
// archive treats `json` as opaque: it indexes only title, published and content_hash.
struct ParseRecord {
  int64_t capture_id = 0;
  std::string parser_version;  // what parsed it (program version + rules digest)
  bool ok = false;
  std::string error;           // when !ok: why extraction failed
  // When ok:
  std::string title;
  std::optional<std::string> published;
  std::string content_hash;    // SHA-256 hex of the extracted content, parser_version excluded
  std::string json;            // the article's JSON (parsers/article.h article_to_json)
  // When ok: what the extraction left out (Article::truncated, "" when nothing); recorded as
  // parses.note.
  std::string note;
};

struct ParseWrite {
  // kNew or kChanged (a version was written), kUnchanged, or kFailed (the failure was recorded,
  // the versions are untouched); never kNone.
  ArticleChange change = ArticleChange::kFailed;
  int64_t article_id = 0;
  int64_t version_id = 0;  // the new version, or the one the capture reads as when unchanged;
                           // 0 when failed
};

// One stored version of an article.
struct ArticleVersion {
  int64_t id = 0;
  int64_t article_id = 0;
  int number = 0;              // 1 for the article's first version, then 2, 3, ...
  int64_t capture_id = 0;
  std::string url;             // the article's canonical URL
  std::string site;
  std::string captured_at;     // the capture's fetched_at
  std::string created_at;      // when this version was written
  std::string parser_version;
  std::string title;
  std::optional<std::string> published;
  std::string content_hash;
  std::string json;
};

// A span of capture times: format_utc() strings, compared as strings, both ends included; ""
// leaves that end open.
struct TimeRange {
  std::string since;
  std::string until;
};

// What to export or iterate over.
struct VersionFilter {
  std::string site;           // "" for every site
  bool all_versions = false;  // false: only each article's latest version
  TimeRange captured = {};    // only versions read from a capture fetched in this span
};

// Which captures to export: those of `site` ("" for every site) fetched in `fetched`.
struct CaptureFilter {
  std::string site;
  TimeRange fetched = {};
};

struct SiteStats {
  std::string site;
  int64_t captures = 0;
  int64_t articles = 0;
  int64_t versions = 0;
  int64_t blobs = 0;
  int64_t stored_bytes = 0;  // compressed bytes of the blobs it stored first, and its dictionaries
  int64_t raw_bytes = 0;     // sum of the body sizes of all its captures (what a naive copy holds)
};

// The archive file's bytes by part, from SQLite's dbstat table: what each part of the model costs.
struct FileStats {
  int64_t bytes = 0;  // the database file (page count x page size); its -wal not included
  int64_t pages = 0;  // page captures, the "per page" of bytes per page
  // In this order: "pages" (page and other bodies: blobs, dictionaries), "articles" (articles,
  // versions, parses), "captures" (their rows: URLs, headers, digests), "frontier", "search"
  // (the full-text index), "other" (runs, the schema), "free" (unused pages). Each includes its
  // tables' indexes; together they make `bytes`.
  std::vector<std::pair<std::string, int64_t>> parts;
};

// What Archive::compact rewrote.
struct CompactCounts {
  int64_t blobs = 0;     // page blobs recompressed
  int64_t versions = 0;  // article versions whose JSON was packed
  int64_t captures = 0;  // captures whose headers were packed
};

// ---- Runs: what each crawl, import or re-parse did.

// One site's part of a crawl run (a run_sites row): the crawler's counts (those SiteProgress
// records; its live-only fields read back as zero), and the template health of the article pages
// it extracted.
struct RunSiteCounts : SiteProgress {
  int64_t parsed = 0;          // article pages extracted, or failing to
  int64_t body_missed = 0;     // ... whose configured body rules matched nothing
  int64_t missing_fields = 0;  // ... extracted without a title or a published date
  // ... whose fields the site's rules should have given but a generic finder had to (Article
  // provenance "fallback:"; the article may well be right: the template has changed anyway)
  int64_t fallback_fields = 0;
  int64_t suspect = 0;         // ... with any of these problems
  bool template_changed = false;      // the suspect share jumped against earlier runs
  std::vector<std::string> examples;  // a few suspect page URLs
};

struct RunRecord {
  int64_t id = 0;
  std::string kind;        // crawl, import, reparse
  std::string started_at;
  std::string ended_at;    // "" while running, or when the run was killed
  std::vector<std::string> sites;
  std::string counts_json;                 // what end_run() recorded, "" when nothing
  std::vector<RunSiteCounts> site_counts;  // crawl runs: one per site, by site id
};

// Why an article is considered gone: its page answered `status` (404 or 410) at `since`.
struct GoneMark {
  std::string since;
  int status = 0;
};

// ---- What readers list (the web reader, web/): read-only queries, any connection.

// One site as the reader's first page shows it.
struct SiteSummary {
  std::string site;
  int64_t articles = 0;  // registered article pages
  int64_t versions = 0;  // their versions
  int64_t gone = 0;      // articles marked gone
  int64_t captures = 0;  // captures of any kind
  // The site's part of the most recent crawl run that crawled it (last_crawl_run 0: none did).
  // last_crawl.template_changed is the template alarm; last_crawl.examples its example pages.
  int64_t last_crawl_run = 0;
  std::string last_crawl_started_at;
  std::string last_crawl_ended_at;  // "" while the run goes on, or when it was killed
  RunSiteCounts last_crawl;
};

// One article as a list shows it: its identity and its latest version's title and date.
struct ArticleSummary {
  int64_t id = 0;
  std::string url;  // canonical
  std::string site;
  std::string registered_at;
  int version_count = 0;
  int64_t latest_version_id = 0;         // 0 when no parse of it succeeded yet
  std::string title;                     // of the latest version, "" when none
  std::optional<std::string> published;  // of the latest version
  std::optional<GoneMark> gone;          // set when its page answered 404/410
};

// A page of a site's articles and how many the site has in all.
struct ArticlePage {
  std::vector<ArticleSummary> articles;
  int64_t total = 0;
};

// ---- The crawl frontier: the URLs to fetch (FrontierEntry, common/frontier.h), persistent across
// runs.

enum class EnqueueMode {
  kIfNew,    // an entry already present for (site, url) is left as it is
  kRevisit,  // a done or failed entry is queued again with the new not_before and priority
};

// What Archive::offer() did with an entry.
struct FrontierOffer {
  bool added = false;      // a new entry: none had its identity (or its URL)
  bool requeued = false;   // kRevisit: the done or failed entry of its identity was queued again
  bool respelled = false;  // the entry of its identity, not fetched yet, took the offered URL as a
                           // better spelling (a higher `spelling`)
  int64_t id = 0;          // the entry
  std::string url;         // its URL after the call
  FrontierState state = FrontierState::kQueued;  // its state after the call
};

struct FrontierCounts {
  int64_t queued = 0;
  int64_t in_progress = 0;
  int64_t done = 0;
  int64_t failed = 0;
};

// The archive. Every method is atomic: it commits on success and leaves nothing behind on failure
// (several calls are made atomic together with transaction()). Failures carry a message naming
// the archive file and what failed: "archive.sqlite: database is locked by another writer ...".
//
// Thread-safety: an Archive is one SQLite connection and is NOT thread-safe; give each thread its
// own. Any number of Archives, in any number of threads or processes, may open the same file:
// readers never block and are never blocked (WAL); one writer at a time, others wait up to
// busy_timeout_ms.
class ArchiveCore;  // archive/archive_core.h

class Archive {
 public:
  // Opens (or, with options.create, creates) the archive at `path`, migrating an older schema
  // forward. Fails when the file is not an SQLite database or is corrupt, when its schema is newer
  // than this binary's, when the path cannot be opened or created (read-only directory), or when
  // the migration fails (the file is then left as it was). The caller owns the result.
  static Result<std::unique_ptr<Archive>> open(const std::string& path,
                                               const ArchiveOptions& options = {});
  ~Archive();
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  const std::string& path() const { return path_; }

  // Runs `body` in one write transaction: commits when it returns ok, rolls back everything it
  // wrote otherwise (and returns its failure, or the commit's). Calls may nest: an inner failure
  // rolls back only the inner part when the outer body goes on. `body` must not call
  // transaction() on another Archive of the same file (it would wait for itself).
  Status transaction(const std::function<Status()>& body);

  // ---- Runs

  // Starts a run (a crawl, an import, a re-parse) over `sites`, of `kind` ("crawl", "import",
  // "reparse"). Returns its id.
  Result<int64_t> begin_run(std::string_view kind, const std::vector<std::string>& sites);
  // Records the run's end time and `counts_json` (a JSON object of the caller's counters).
  Status end_run(int64_t run_id, std::string_view counts_json);

  // Records `counts` as site counts.site's part of run `run_id`, replacing an earlier record.
  // Fails when there is no such run.
  Status record_run_site(int64_t run_id, const RunSiteCounts& counts);

  // The run `run_id` with its per-site counts. Fails, naming it, when there is no such run.
  Result<RunRecord> run(int64_t run_id);

  // The `limit` most recent runs of any kind, newest first, with their per-site counts; with
  // `before_run_id` > 0, those before that run (the next page of a list).
  Result<std::vector<RunRecord>> recent_runs(int limit, int64_t before_run_id = 0);

  // `site`'s counts in at most `limit` ended runs before run `before_run_id` in which it parsed
  // at least one article page, newest first: the history a template check compares with.
  Result<std::vector<RunSiteCounts>> site_history(std::string_view site, int64_t before_run_id,
                                                  int limit);

  // ---- Captures and their bodies

  // Stores one HTTP exchange fetched by run `run_id` (0 for none). The body goes to a blob
  // addressed by its SHA-256: a body already stored (whatever its URL) is not stored again, and a
  // capture with no body (304, error) adds no blob. May train the site's next compression
  // dictionary first (see ArchiveOptions). Returns the capture's id.
  Result<int64_t> store_capture(const Capture& capture, int64_t run_id);

  // The capture `id`, with its body when `with_body`. Fails when there is no such capture, or when
  // its stored body is damaged (decompression or digest mismatch), naming the capture.
  Result<StoredCapture> capture(int64_t id, bool with_body);

  // Calls `visit` with each capture `filter` selects, in fetch order (fetched_at, then id), with
  // its body when `with_body`, one at a time: memory does not grow with the archive (SQLite sorts
  // the ids, spilling to temporary files). The captures are those committed when the call began
  // (it reads one snapshot). Stops at and returns the first failure of `visit`; fails, naming the
  // capture, when a stored body is damaged.
  Status for_each_capture(const CaptureFilter& filter, bool with_body,
                          const std::function<Status(const StoredCapture&)>& visit);

  // The most recent capture of `url` (by fetched_at) of any outcome, or nullopt when none.
  Result<std::optional<StoredCapture>> latest_capture(std::string_view url, bool with_body);

  // ETag and Last-Modified of the most recent ok capture of `url` that had a body; empty strings
  // when there is none. A crawler sends them as If-None-Match / If-Modified-Since.
  Result<Validators> validators(std::string_view url);

  // ---- Articles and versions

  // Registers `url` of `site` as an article page (so that `reparse` parses its captures) and
  // returns the article's id; registering again returns the same id.
  Result<int64_t> ensure_article(std::string_view site, std::string_view url);

  // Records the parse of capture `record.capture_id` (whose URL must be a registered article):
  // one parse record per (capture, parser_version), replaced if present; and, when ok and the
  // content hash differs from the article's latest version, a new version.
  Result<ParseWrite> record_parse(const ParseRecord& record);

  // The latest version of the article at `url` / with id `article_id`; nullopt when the article is
  // unknown or has no version yet.
  Result<std::optional<ArticleVersion>> latest_version(std::string_view url);
  Result<std::optional<ArticleVersion>> latest_version(int64_t article_id);

  // Every version of the article at `url`, oldest first. Empty when unknown.
  Result<std::vector<ArticleVersion>> versions(std::string_view url);

  // Calls `visit` for each version that `filter` selects, by article id then version number,
  // reading one at a time (constant memory). Stops at and returns the first failure of `visit`.
  Status for_each_version(const VersionFilter& filter,
                          const std::function<Status(const ArticleVersion&)>& visit);

  // The last parse error recorded for any capture of `url`, "" when none (for "why no version?").
  Result<std::string> last_parse_error(std::string_view url);

  // The ids of the captures `reparse` should parse with `parser_version`: ok 2xx page captures
  // with a body, of `site`'s registered article URLs, that have no parse record for that version
  // yet (all of them when `parser_version` is ""); by URL, then fetch time (so each article's
  // versions are written in time order).
  Result<std::vector<int64_t>> pending_parses(std::string_view site,
                                              std::string_view parser_version);

  // The sites that have registered articles, sorted.
  Result<std::vector<std::string>> article_sites();

  // ---- Reading: what the web reader lists

  // Every site with articles, captures or crawl runs, sorted by id, with its counts and its most
  // recent crawl (the template alarm).
  Result<std::vector<SiteSummary>> site_summaries();

  // `site`'s articles newest first, by their latest version's `published` (as printed, so a date
  // sorts with the times of that day), those without a date last, then by id, newest first;
  // `limit` of them from `offset`.
  Result<ArticlePage> site_articles(std::string_view site, int64_t offset, int limit);

  // The article `article_id`; nullopt when there is none.
  Result<std::optional<ArticleSummary>> article(int64_t article_id);

  // The captures of `url` (without bodies), newest first, at most `limit`.
  Result<std::vector<StoredCapture>> captures_of(std::string_view url, int limit);

  // The id of the newest capture of `url` that holds the body of a 2xx answer: what the archive
  // can serve for that URL. 0 when there is none.
  Result<int64_t> latest_body_capture(std::string_view url);

  // ---- Gone articles: never deleted, only marked

  // Marks the article at `url` gone: its page answered `status` (404 or 410) at `since`. Its
  // versions and captures stay. Returns true when the mark is new (a registered article that was
  // not gone), false when `url` is no article or already gone (the first mark is kept).
  Result<bool> mark_gone(std::string_view url, int status, std::string_view since);

  // Clears the gone mark of the article at `url` when its page was served again at `served_at`,
  // after the mark (an older capture, imported late, does not clear it). A no-op when the
  // article is not gone or unknown.
  Status clear_gone(std::string_view url, std::string_view served_at);

  // Why the article at `url` is gone; nullopt when it is served (or unknown).
  Result<std::optional<GoneMark>> gone_mark(std::string_view url);

  // ---- URL identity: aliases and learned session parameters (common/identity.h)

  // Records that `alias.url`, of `site`, stands for `alias.canonical_url`, as `alias.evidence`
  // says, seen in capture `capture_id` of run `run_id` (0: none). A URL's first record is kept.
  Status record_alias(std::string_view site, const UrlAlias& alias, int64_t capture_id,
                      int64_t run_id);
  // What `url` stands for; nullopt when it is no alias.
  Result<std::optional<UrlAlias>> alias(std::string_view url);
  // The article `url` names: itself when it is a registered article, else the article its aliases
  // lead to (at most 5 hops); nullopt when neither.
  Result<std::optional<std::string>> article_url_for(std::string_view url);
  // Articles of `site` other than `url` whose URL differs from it only in the query (same origin
  // and path) and whose latest version has the title `title`, with that version's content hash,
  // at most `limit`: what a page showing the same article may be an alias of.
  Result<std::vector<std::pair<std::string, std::string>>> articles_at_path(
      std::string_view site, std::string_view url, std::string_view title, int limit);
  // Articles of `site` other than `url`, at any path, whose latest version has the title `title`,
  // with that version's content hash, at most `limit`: what a print or mobile twin at a path of
  // its own may be an alias of. No index serves titles (schema v8): it reads the site's articles
  // (articles_by_site), so callers ask only for pages whose URL marks them as a twin.
  Result<std::vector<std::pair<std::string, std::string>>> articles_titled(
      std::string_view site, std::string_view url, std::string_view title, int limit);

  // Records `session`, learned for `site` by run `run_id` (0: none), replacing an earlier record
  // of the same host and parameter.
  Status record_learned_session(std::string_view site, const LearnedSession& session,
                                int64_t run_id);
  // The session parameters learned for `site`, oldest first.
  Result<std::vector<LearnedSession>> learned_sessions(std::string_view site);

  // ---- Statistics and maintenance

  // Per site, sorted by site id.
  Result<std::vector<SiteStats>> stats();

  // The file's bytes by part. Reads every page of the file (dbstat): seconds on a large archive.
  Result<FileStats> file_stats();

  // Recompresses every page blob of `site` ("" for all) that is not compressed with its site's
  // newest page dictionary at compact_level, and packs every article version's JSON and every
  // capture's headers that are not packed yet (written before schema v6) or not with their site's
  // newest dictionary of their kind; trains a new dictionary of a kind first when the site has
  // enough rows of it and none yet, or has doubled since its newest. Then deletes dictionaries
  // nothing uses, and gives the freed pages back to the file system. Returns what it rewrote.
  // Committed in batches, so it can be interrupted (even killed) and re-run.
  Result<CompactCounts> compact(std::string_view site);

  // Rewrites the whole file without free space (SQLite VACUUM): compact leaves pages half empty
  // where blobs shrank. Needs free disk space of about the file's size; other writers wait
  // meanwhile (and fail after busy_timeout_ms).
  Status vacuum();

  // PRAGMA integrity_check, then the search index: its structure (unless read-only) and its
  // words against every version's text. Ok, or a failure listing the problems. Reads the whole
  // file.
  Status check_integrity();

  // ---- Full-text search (archive/search.h)

  // The articles matching `request`, best first, and how many match in all. Works on read-only
  // archives, while another process writes. Fails with check_search_query()'s message for a
  // malformed query, with a message naming the field for a bad date, limit or offset, and with
  // the archive's path and SQLite's reason when the archive cannot be read.
  Result<SearchResults> search(const SearchRequest& request);

  // Rebuilds the search index from every stored version and merges it into one segment (the
  // smallest and fastest form). One transaction: until it commits, readers search the old index,
  // and a kill or failure leaves the old index as it was. `progress` (may be null) is called
  // after each batch of versions. Returns the number of versions indexed. Other writers wait
  // (and fail after busy_timeout_ms) meanwhile.
  Result<int64_t> reindex(const ReindexProgress& progress = nullptr);

  // The index's size beside the text it indexes. Reads every version's text: seconds on a large
  // archive.
  Result<SearchIndexSize> search_index_size();

  // ---- The frontier

  // Adds `entry` (state queued) unless an entry of the site has its identity (entry.key, or its
  // URL when the key is empty) or its URL; see EnqueueMode. An entry of that identity still queued
  // or in progress takes entry.url when entry.spelling is higher than its own (and no other entry
  // has that URL): the frontier keeps each resource once, under its best spelling.
  Result<FrontierOffer> offer(const FrontierEntry& entry, EnqueueMode mode = EnqueueMode::kIfNew);
  // offer(), true when an entry was added or queued again.
  Result<bool> enqueue(const FrontierEntry& entry, EnqueueMode mode = EnqueueMode::kIfNew);
  // Gives entry `entry_id` the URL `url`, the identity `key` and `spelling`; false, with nothing
  // changed, when another entry of its site has that URL or that identity. Fails when there is no
  // such entry.
  Result<bool> respell(int64_t entry_id, std::string_view url, std::string_view key,
                       int spelling);

  // Claims up to `limit` queued entries of `site` whose not_before <= `now` (format_utc), highest
  // priority first, then oldest not_before, then first enqueued; they become in progress for run
  // `run_id`. Empty when none is due.
  Result<std::vector<FrontierEntry>> claim(std::string_view site, std::string_view now, int limit,
                                           int64_t run_id);

  Status mark_done(int64_t entry_id);
  // A permanent failure: the entry is not retried (until enqueued again with kRevisit).
  Status mark_failed(int64_t entry_id, std::string_view error);
  // A transient failure: the entry is queued again, due at `not_before`; attempts is incremented.
  Status retry_at(int64_t entry_id, std::string_view not_before, std::string_view error);

  // Puts entries left in progress (by a run that was killed) back in the queue; returns how many.
  // A crawl calls it when it starts, once it knows no other crawl is running on this archive.
  Result<int64_t> requeue_in_progress();

  // The entry for (site, url), nullopt when absent.
  Result<std::optional<FrontierEntry>> frontier_entry(std::string_view site, std::string_view url);
  Result<FrontierCounts> frontier_counts(std::string_view site);

  // `site`'s done page entries with an id above `after_id` whose URL was last fetched (its latest
  // capture) before `before` (format_utc), by id, at most `limit`: the pages a new crawl pass
  // revalidates whether or not a listing still links them.
  Result<std::vector<FrontierEntry>> stale_pages(std::string_view site, std::string_view before,
                                                 int64_t after_id, int limit);

 private:
  explicit Archive(std::unique_ptr<ArchiveCore> core);

  std::string path_;
  std::unique_ptr<ArchiveCore> core_;
};

}  // namespace provarc
