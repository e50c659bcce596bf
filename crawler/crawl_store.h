// crawler/crawl_store.h: the narrow interface (a port) through which the crawler keeps its frontier
// (common/frontier.h) and hands over what it fetched. The crawler knows nothing of how captures
// are stored: the application (cli/crawl_command.cc) implements this over the archive; tests keep
// it in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/article_change.h"
#include "common/capture.h"
#include "common/frontier.h"
#include "common/identity.h"
#include "common/result.h"

namespace provarc {

struct RecordedCapture {
  int64_t capture_id = 0;
  ArticleChange change = ArticleChange::kNone;
  // When the page was parsed as an article: what its body shows, absolute URLs in page order.
  std::vector<std::string> images;
  std::vector<std::string> attachments;
  std::string parse_error;  // when kFailed
  // The capture is a 404 or 410 of an article the store knew, now marked gone (never deleted).
  bool gone = false;
  // The page shows the same article as this known article URL, which differs from it only in its
  // query or, when the crawler's hints marked it as a twin, anywhere: the store filed the capture
  // under that article and recorded the alias (no new article).
  std::string same_as;
};

// What enqueue() did.
struct Enqueued {
  bool queued = false;     // added, or queued again: the site has something more to claim
  bool added = false;      // new: no entry had its identity
  bool respelled = false;  // the entry of its identity, not fetched yet, took item.url as a better
                           // spelling (crawler/identity.h)
  int64_t id = 0;          // the entry
  std::string url;         // its URL after the call
  FrontierState state = FrontierState::kQueued;  // its state after the call
};

// Conditional-GET validators of a URL's latest ok capture ("" when absent).
struct CachedValidators {
  std::string etag;
  std::string last_modified;
};

// Every method returns a failure (naming the store and what failed) only when the store itself
// fails (a full disk, a locked database); the crawl then stops, keeping what was committed.
// Implementations need not be thread-safe: the crawler calls them from its loop's thread, but for
// extract(), which it calls from its reading threads.
class CrawlStore {
 public:
  virtual ~CrawlStore() = default;

  // Runs `body` so that everything it writes is committed together or not at all.
  virtual Status atomically(const std::function<Status()>& body) = 0;

  // Adds `item` (queued) unless an entry of the site has its identity (item.key, or item.url when
  // the key is empty) or its URL. With `revisit`, that entry, done or failed, is queued again with
  // item's priority and not_before. An entry of that identity not fetched yet takes item.url when
  // item.spelling is higher than its own (unless another entry has that URL).
  virtual Result<Enqueued> enqueue(const FrontierEntry& item, bool revisit) = 0;
  // Gives entry `id` the URL `url` with identity `key` (its own, or what its identity became once
  // the run learned more) and `spelling`; false (nothing changed) when another entry of its site
  // has that URL or that identity.
  virtual Result<bool> respell(int64_t id, const std::string& url, const std::string& key,
                               int spelling) = 0;
  // Up to `limit` queued items of `site` due at `now` (UTC string), highest priority first, then
  // earliest not_before, then first enqueued. They are in progress until marked.
  virtual Result<std::vector<FrontierEntry>> claim(const std::string& site,
                                                   const std::string& now, int limit) = 0;
  virtual Status mark_done(int64_t id) = 0;
  // Not retried (until enqueued again with revisit).
  virtual Status mark_failed(int64_t id, const std::string& error) = 0;
  // Queued again, due at `not_before`; attempts grows by one.
  virtual Status retry_at(int64_t id, const std::string& not_before, const std::string& error) = 0;
  // Puts in-progress items back in the queue (after a kill, or to release claimed items at the end
  // of a run). Returns how many.
  virtual Result<int64_t> requeue_in_progress() = 0;
  // How many items of `site` are queued (due or not) or in progress.
  virtual Result<int64_t> pending_count(const std::string& site) = 0;

  // When `url` was last fetched (any outcome), as a UTC string; "" when never.
  virtual Result<std::string> last_fetched(const std::string& url) = 0;
  virtual Result<CachedValidators> validators(const std::string& url) = 0;

  // Stores `capture` (every response and every failed fetch becomes one) and, when `is_article`
  // and the capture is a parseable page, extracts its article. Returns what happened. A page that
  // shows the same article as a known one whose URL differs from it only in the query is filed
  // under that article (RecordedCapture::same_as), when the store can tell.
  virtual Result<RecordedCapture> record(const Capture& capture, bool is_article) = 0;

  // What extract() read from a capture, for record_extracted(); each store defines its own.
  struct Extraction {
    virtual ~Extraction() = default;
  };
  // The costly part of record() that needs no store (extracting the article of a parseable
  // page), done ahead. The crawler calls it from its reading threads (crawler/reading_pool.h),
  // concurrently with each other and with every other method: it must be thread-safe and must not
  // touch the store. nullptr (the default) when the store has nothing to do ahead.
  virtual std::unique_ptr<Extraction> extract(const Capture& capture, bool is_article) const {
    return nullptr;
  }
  // What the crawler read in a page's URL for the store's identity check.
  struct Hints {
    // What marks the URL as a print or mobile rendering (crawler/identity.h twin_marker()), ""
    // when nothing does. A store that can tell files such an article page under the known article
    // of the site it shows, at any path (RecordedCapture::same_as); content equality alone, without
    // a marker, merges only URLs that differ in the query.
    std::string twin_marker;
  };
  // record() with what extract() returned for the same capture (nullptr: record() does it all)
  // and the crawler's `hints`.
  virtual Result<RecordedCapture> record_extracted(const Capture& capture, bool is_article,
                                                   std::unique_ptr<Extraction> extracted,
                                                   const Hints& hints) {
    return record(capture, is_article);
  }

  // ---- URL identity (common/identity.h). Stores that keep no history keep none of it.

  // Records that `alias.url` stands for `alias.canonical_url`, shown by capture `capture_id`.
  virtual Status record_alias(const std::string& site, const UrlAlias& alias,
                              int64_t capture_id) {
    return Status::Ok();
  }
  // The session parameters learned for `site` by earlier runs.
  virtual Result<std::vector<LearnedSession>> learned_sessions(const std::string& site) {
    return std::vector<LearnedSession>();
  }
  // Keeps `session`, learned for `site` now.
  virtual Status record_session(const std::string& site, const LearnedSession& session) {
    return Status::Ok();
  }

  // `site`'s completed page items with an id above `after_id` whose URL was last fetched before
  // `before` (UTC string), by id, at most `limit`. A new pass queues the articles among them
  // again, linked or not. The default, for stores that keep no history, finds none.
  virtual Result<std::vector<FrontierEntry>> stale_pages(const std::string& site,
                                                         const std::string& before,
                                                         int64_t after_id, int limit) {
    return std::vector<FrontierEntry>();
  }
};

}  // namespace provarc
