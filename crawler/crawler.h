// crawler/crawler.h: the polite crawler: fetches each configured site into a CrawlStore under
// robots.txt and per-host politeness, discovering URLs through listings, sitemaps and links.
//
// How a run goes. For each site, URLs left queued by an interrupted run are resumed; otherwise a
// new pass starts from the start URLs and listing URLs, plus the known articles last fetched
// longer ago than the revisit interval (revalidated with conditional GETs). A pass is
// incremental: a listing's pagination is followed again only from pages that show articles never
// seen before, and known articles it links are fetched again only once stale. Every host
// (authority) has its own queue and politeness state; hosts are fetched concurrently through one
// transport (libcurl's multi handle), one request at a time per host, request starts at least the
// delay apart (the site's delay, raised to robots.txt's Crawl-delay up to a cap). robots.txt is
// fetched first for each origin and again after 24 hours; while it answers 5xx or 429 or cannot
// be reached nothing else is fetched from that origin. 429 and 503 honour Retry-After; other
// transient failures back off exponentially and are retried up to max_retries; a host failing
// again and again is paused, then left for the run. Every response is recorded as it completes
// (one atomic store call per fetch); a killed run loses nothing committed and the next run does
// not fetch again what was completed. Answers that need reading (article extraction, the links of
// a page or sitemap) are read on worker threads while the loop keeps transferring, and recorded
// when read: one slow page never holds other hosts' requests (crawler/reading_pool.h). The
// frontier is the store's: the crawler holds a window of a few hundred claimed URLs per site and
// no set of the URLs it saw, so its memory does not grow with the frontier (bench/README.md,
// "Memory").
//
// The pieces, each behind its own header: crawler.cc is the loop alone (claim, politeness, start,
// wait, decide, store, report); transport.h the network and the clocks (fetcher.h: libcurl);
// robots_policy.h what a robots.txt answer means, robots_cache.h what each origin's is;
// disposition.h what to do with a finished fetch; discovery.h which URLs an answer adds and
// admission.h which of them enter the frontier; reading_pool.h the threads that read answers
// off the loop; host_queue.h the per-host queues over politeness.h; scope.h, links.h,
// url_canon.h and robots.h underneath; crawl_store.h the port to the store; fetch_one.h one
// polite fetch outside a crawl.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/site_progress.h"
#include "config/config.h"
#include "crawler/crawl_store.h"
#include "crawler/transport.h"

namespace provarc {

// "provarc/<version> (+<contact_url>)", or "provarc/<version>" without a contact URL.
std::string crawler_user_agent(const std::string& contact_url);

// The robots.txt product token the crawler obeys: "provarc".
inline constexpr const char* kRobotsProductToken = "provarc";

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
  // Threads that read answers (extract articles, find links) while the loop keeps transferring
  // (crawler/reading_pool.h); 0 reads them on the loop's thread, as tests on a virtual clock do.
  int reading_threads = 2;
  // The network and the clocks the run uses (not owned); nullptr: libcurl and the system's clocks
  // (crawler/fetcher.h). Tests pass a scripted transport on a virtual clock.
  Transport* transport = nullptr;
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
