// cli/ingest.h: the single path from a capture to an article version (store the capture, extract
// its article with parsers/extract.h, record the parse and any new version). crawl, import and
// reparse all go through it, so a re-parse produces exactly what a crawl would have.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/archive.h"
#include "common/article_change.h"
#include "common/capture.h"
#include "common/result.h"
#include "config/config.h"
#include "parsers/article.h"
#include "parsers/extract.h"

namespace provarc {

// SHA-256 hex of the article's content: its one-line JSON with parser_version left out, so that
// a new parser producing the same output is not a new version.
std::string content_hash(const Article& article);
// The same, from the one-line JSON article_to_json(article, -1) wrote (saves serialising twice).
std::string content_hash_of_json(std::string_view json);

// True when `capture` is a page with something to parse: kind page, outcome ok, a 2xx status and
// a non-empty body. Other captures (304, errors, redirects, images) are stored, never parsed.
bool is_parseable(const Capture& capture);

// Extracts the article of `capture` (stored as `capture_id`) with `site`'s rules and returns the
// record to write: ok with the article's JSON and content hash, or the extraction's failure.
// Pure CPU work, no archive access: thread-safe, many captures may be parsed in parallel.
ParseRecord parse_capture(const Capture& capture, int64_t capture_id, const SiteConfig& site);

struct IngestOutcome {
  int64_t capture_id = 0;
  ArticleChange change = ArticleChange::kNone;  // kNone: stored only, nothing parsed
  int64_t article_id = 0;      // 0 when not an article
  int64_t version_id = 0;      // the new version, or the one the capture reads as; 0 when none
  std::string error;           // when kFailed: why extraction failed
  std::string note;            // when parsed: what the extraction left out (ParseRecord::note)
  // When parsed by ingest_capture: the article's images and attachments (absolute URLs, in page
  // order), for a crawler to fetch.
  std::vector<std::string> images;
  std::vector<std::string> attachments;
  // When parsed by ingest_capture and extracted: how, for the crawl's template check (the
  // extractor's own trace: Article::provenance).
  Provenance provenance;
  bool has_title = false;
  bool has_published = false;
  // The capture is a 404 or 410 of a registered article that was served until now: the article
  // is now marked gone (Archive::mark_gone). `change` stays kNone.
  bool newly_gone = false;
  // With alias_by_content: the page shows the same article as this registered article, whose URL
  // differs from the page's only in the query; the capture was filed under it (the page's URL
  // kept as the capture's requested_url and recorded as an alias of it), no new article.
  std::string same_as;
};

// Stores `capture`, fetched by run `run_id` (0 for none), and when `is_article` registers its URL
// as an article and, if it is parseable, extracts and records it (clearing any gone mark): all in
// one transaction, so a kill leaves either all of it or none. A page capture answered 404 or 410
// marks its article gone when the URL is a registered article, whatever `is_article` says. The
// extraction runs before the transaction opens. This is what the crawler's per-capture callback
// calls. Fails (writing nothing) on archive errors; an extraction failure is not a failure of
// ingest: it is recorded and reported as kFailed. Not thread-safe (it uses `archive`, see
// archive.h).
// With `alias_by_content` (a crawl's identity check), an article page whose URL is no registered
// article yet is first compared with the site's articles at the same path (same origin and path,
// another query): when it extracts to the same article as one of them, it is filed under that
// article (IngestOutcome::same_as) instead of registering a new one.
Result<IngestOutcome> ingest_capture(Archive& archive, const Capture& capture,
                                     const SiteConfig& site, int64_t run_id, bool is_article,
                                     bool alias_by_content = false);

// ingest_capture in its two halves, for a crawler that extracts on other threads than the one
// that writes. prepare_ingest() is the extraction (when `is_article` and the capture is
// parseable; nothing otherwise): pure CPU, no archive, thread-safe. write_ingest() is the rest,
// with what prepare_ingest() returned for the same capture, site and `is_article`, and
// `alias_by_content` as ingest_capture() takes it (a page filed under another article is
// extracted again under that article's URL). `twin_marker`, with `alias_by_content`: what in the
// capture's URL marks it as a print or mobile rendering ("path segment /m/", "page Print.aspx",
// crawler/identity.h twin_marker()); such a page is compared with the site's articles at every
// path, not only at its own, and filed under the one it equals (its title and content hash, the
// URL set aside), the alias's evidence naming both signals. Without a marker, content equality
// alone never merges pages at different paths.
struct PreparedIngest {
  bool parsed = false;           // extraction ran (its result is in `record`)
  ParseRecord record;            // capture_id still 0: write_ingest() sets it
  std::optional<Article> article;  // when extraction succeeded
};
PreparedIngest prepare_ingest(const Capture& capture, const SiteConfig& site, bool is_article);
Result<IngestOutcome> write_ingest(Archive& archive, const Capture& capture,
                                   const SiteConfig& site, int64_t run_id, bool is_article,
                                   PreparedIngest prepared, bool alias_by_content = false,
                                   std::string_view twin_marker = {});

// Registers the URL of the stored capture `capture_id` as an article and parses it (when
// parseable), in one transaction. For captures already stored by store_capture().
Result<IngestOutcome> ingest_stored(Archive& archive, int64_t capture_id, const SiteConfig& site);

// Writes `record` (from parse_capture) for an already registered article URL, mapping the
// archive's answer to an IngestOutcome. Used by reparse's writer thread.
Result<IngestOutcome> record_parsed(Archive& archive, const ParseRecord& record);

struct ReparseCounts {
  int64_t examined = 0;   // captures parsed (or whose body could not be read)
  int64_t changed = 0;    // new versions written
  int64_t unchanged = 0;
  int64_t failed = 0;     // extraction failed, or the stored body could not be read
  std::vector<std::string> errors;  // the first few messages of bodies that could not be read
};

// Re-parses, with `site`'s current rules, every stored capture of its articles that has not been
// parsed with them yet (every one, when `force`), and records the results; no network. `jobs`
// worker threads each read and parse captures through their own read-only connection to the
// archive at `archive.path()`; the calling thread writes the results through `archive`, in order,
// in batched transactions, so a killed re-parse keeps what it committed and the next run goes on
// from there. `progress` (may be empty) is called from the calling thread after each batch with
// the counts so far and the number of captures to examine. Fails only on archive errors.
Result<ReparseCounts> reparse_site(
    Archive& archive, const SiteConfig& site, int jobs, bool force,
    const std::function<void(const ReparseCounts&, int64_t total)>& progress);

}  // namespace provarc
