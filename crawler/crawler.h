// crawler/crawler.h: the polite crawler: fetches each configured site into a CrawlStore under
// robots.txt and per-host politeness, discovering URLs through listings, sitemaps and links.
//
// How a run goes. For each site, URLs left queued by an interrupted run are resumed; otherwise a
// new pass starts from the start URLs and listing URLs, plus the known articles last fetched
// longer ago than the revisit interval (revalidated with conditional GETs). A pass is
// incremental: a listing's pagination is followed again only from pages that show articles never
// seen before, and known articles it links are fetched again only once stale. Every host
// (authority) has its own queue and politeness state; hosts are fetched concurrently through one
// libcurl multi handle, one request at a time per host, request starts at least the delay apart
// (the site's delay, raised to robots.txt's Crawl-delay up to a cap). robots.txt is fetched first for each origin and again
// after 24 hours; while it answers 5xx or cannot be reached nothing else is fetched from that
// origin. 429 and 503 honour Retry-After; other transient failures back off exponentially and are
// retried up to max_retries; a host failing again and again is paused, then left for the run.
// Every response is recorded as it completes (one atomic store call per fetch); a killed run
// loses nothing committed and the next run does not fetch again what was completed. The frontier
// is the store's: the crawler holds a window of a few hundred claimed URLs per site and no set of
// the URLs it saw, so its memory does not grow with the frontier (bench/README.md, "Memory").
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "crawler/crawl_store.h"

namespace provarc {

// "provarc/<version> (+<contact_url>)", or "provarc/<version>" without a contact URL.
std::string crawler_user_agent(const std::string& contact_url);

// The robots.txt product token the crawler obeys: "provarc".
inline constexpr const char* kRobotsProductToken = "provarc";

// Per-site counters, reported while crawling and at the end.
struct SiteProgress {
  std::string site;
  int64_t fetched = 0;       // requests completed (any kind, any outcome, robots.txt included)
  int64_t pages = 0;         // page requests (the page budget counts these)
  int64_t queued = 0;        // items waiting in the frontier (claimed or not)
  int64_t errors = 0;        // fetches that failed: no response, a cut-off body, 5xx
  int64_t retries = 0;       // items put back for a later attempt
  int64_t failed = 0;        // items given up on (after max_retries, or a permanent error)
  int64_t disallowed = 0;    // items robots.txt forbade (not fetched)
  int64_t not_modified = 0;  // 304 answers to conditional GETs
  int64_t new_articles = 0;
  int64_t changed = 0;
  int64_t unchanged = 0;
  int64_t parse_failures = 0;  // article pages whose extraction failed
  int64_t gone = 0;          // known articles that answered 404 or 410 (marked gone by the store)
  int64_t bytes = 0;         // body bytes received (after decoding)
  int64_t delay_ms = 0;      // current gap between requests to the site's first host
  int64_t duration_ms = 0;   // from the run's start to the site's latest completed fetch
  bool finished = false;     // the pass is complete: nothing left queued
  std::string stop_reason;   // why the site stopped early: "page budget", "time limit", ...
};

struct CrawlOptions {
  // Caps every site's page budget for this run (the smaller of the two wins); < 0: no cap.
  int64_t max_pages = -1;
  // Stop starting fetches after this long (in-flight ones finish); 0: no limit.
  std::chrono::milliseconds max_time{0};
  // When it becomes true, no fetch starts any more; the run ends once in-flight ones finish.
  // Not owned; may be set from a signal handler.
  const std::atomic<bool>* stop = nullptr;
  // Called from the crawl loop about every progress_interval, and once at the end.
  std::function<void(const std::vector<SiteProgress>&)> on_progress;
  std::chrono::milliseconds progress_interval{250};
  // One log line (no trailing newline) for warnings and errors worth a human's attention.
  std::function<void(const std::string&)> on_log;
  // Backoff cap and pause thresholds (tests shorten them); delays come from each site's config.
  std::chrono::milliseconds max_backoff{300000};
  int pause_after_failures = 6;
  int give_up_after_failures = 12;
  // A retry due later than this is left in the frontier for a later run instead of waited for.
  std::chrono::milliseconds max_retry_wait{600000};
};

struct CrawlSummary {
  std::vector<SiteProgress> sites;  // in the order of the sites given
  bool time_limit_reached = false;
  bool stopped = false;  // options.stop was set
};

// Crawls `sites` into `store`. Returns the counts, or the store's failure (the run then stops at
// once; everything committed before stays). Fetch failures are not failures of the run: they are
// recorded as captures and counted. Blocks until the run ends. Not thread-safe with respect to
// `store`, which it uses from the calling thread only.
Result<CrawlSummary> crawl(const std::vector<SiteConfig>& sites, CrawlStore& store,
                           const CrawlOptions& options);

}  // namespace provarc
