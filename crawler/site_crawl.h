// crawler/site_crawl.h: one site's part of a run: its counters, page budget, window of claimed
// entries and retries, and how the store settles each answer (record, retry, fail, redirect,
// offer what it links).
//
// The crawl loop (crawler.cc) owns one SiteCrawl per site and decides when to claim, start and
// wait; a SiteCrawl applies the decisions of discovery.h, admission.h and disposition.h to the
// store. Not thread-safe: used from the loop's thread only, but for read(), which the reading
// threads call.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/frontier.h"
#include "common/result.h"
#include "common/site_progress.h"
#include "config/config.h"
#include "crawler/admission.h"
#include "crawler/crawl_store.h"
#include "crawler/discovery.h"
#include "crawler/disposition.h"
#include "crawler/robots_cache.h"
#include "crawler/transport.h"

namespace provarc {

class SiteCrawl {
 public:
  using Log = std::function<void(const std::string&)>;

  // `site`, `store`, `robots`, `clock` and `log` must outlive it; `clock` gives its times.
  SiteCrawl(const SiteConfig& site, std::string user_agent, CrawlStore& store,
            const RobotsCache& robots, Transport& clock, Log log);

  const SiteConfig& config() const { return discovery_.config(); }
  const SiteDiscovery& discovery() const { return discovery_; }
  const std::string& user_agent() const { return user_agent_; }

  // Starts the site's part of the run begun at `run_started` (a store time, see crawler.cc) with
  // a budget of `max_pages` pages (< 0: the site's own): queues the start and listing URLs, again
  // at a new pass, only if new when resuming one, and at a new pass its stale articles.
  Status begin(const std::string& run_started, int64_t max_pages);

  // Offers `found` to the frontier (admission.h); `outcome`, when given, receives what happened.
  Status offer(const Discovered& found, SiteAdmission::Outcome* outcome = nullptr);

  // True when claim() would ask the store for more: the site holds few entries in memory, may
  // have more to claim, and has not stopped.
  bool claim_due() const;
  // Entries due at `now` (up to a batch of 200) when claim_due(); none otherwise. Retries due by
  // `now` make the frontier claimable again; idle() is updated (`retry_horizon`: how far
  // ahead a retry still keeps the site busy).
  // The caller puts the entries in its hosts' queues and counts them in in_memory.
  Result<std::vector<FrontierEntry>> claim(SteadyTime now, Millis retry_horizon);
  // No work left in this run once the entries it holds are done: nothing was left to claim and
  // no retry was due within the horizon at the last claim(), and nothing was queued since.
  bool idle() const { return in_memory == 0 && exhausted_ && !claim_dirty_; }

  // True when `item` may not start: the site stopped, or it is a page beyond the page budget
  // (which then stops the site).
  bool refuses(const FrontierEntry& item);
  // The request for `item`: the site's limits, and a conditional GET for articles and resources.
  FetchRequest request_for(const FrontierEntry& item);

  // What an answer shows, read ahead of settle() on a reading thread (crawler/reading_pool.h).
  struct Reading {
    std::unique_ptr<CrawlStore::Extraction> extraction;  // the store's (crawl_store.h)
    SiteDiscovery::Links links;
  };
  // The costly part of settling `capture`, the answer to `item` that `d` decided to read
  // (kDiscover): the store's extraction and the links the page or sitemap shows. Thread-safe:
  // reads only what does not change during a run.
  Reading read(const FrontierEntry& item, const Disposition& d, const Capture& capture) const;

  // Settles the answer `capture` to `item` as `d` decided (`wait`: the delay of a kRetry), inside
  // one store transaction: records the capture, then retries, fails, follows the redirect, or
  // offers what the page links, and marks the entry. `reading`: what read() returned for it, if
  // it was read ahead (otherwise settle reads it here).
  Status settle(const FrontierEntry& item, const Disposition& d, Millis wait,
                const Capture& capture, Reading* reading = nullptr);
  // Marks `item` failed with `error` (logged, counted).
  Status fail(const FrontierEntry& item, const std::string& error);

  // Stops the site early for `reason` (the first reason given stays).
  void stop(const std::string& reason) {
    if (stop_reason_.empty()) stop_reason_ = reason;
  }
  const std::string& stop_reason() const { return stop_reason_; }

  // Reads progress.queued from the store, when `force` or a second after the last read.
  Status count_queued(SteadyTime now, bool force);
  // At the end of the run, once claimed entries went back to the queue: progress.finished (nothing
  // left pending) and, when not, progress.stop_reason.
  Status finish();

  SiteProgress progress;
  int64_t in_memory = 0;  // claimed entries held in host queues
  int64_t in_flight = 0;  // transfers started and not handled yet

  // The earliest retry of this run still waited for, or nullopt.
  std::optional<SteadyTime> next_retry() const;

 private:
  Status retry(const FrontierEntry& item, const std::string& reason, Millis wait);
  Status follow_redirect(const FrontierEntry& item, const std::string& location, int hops);
  Status discover_from(const FrontierEntry& item, const SiteDiscovery::Links& links,
                       const RecordedCapture& recorded);
  Status queue_stale_articles();
  void count(const RecordedCapture& recorded, const Disposition& d);

  SiteDiscovery discovery_;
  std::string user_agent_;
  CrawlStore& store_;
  Transport& clock_;
  Log log_;
  SiteAdmission admission_;
  int64_t page_budget_ = 0;
  std::string stop_reason_;
  bool claim_dirty_ = true;  // something may be claimable that was not at the last claim
  bool exhausted_ = false;
  SteadyTime queued_counted_{};  // when progress.queued was last read from the store
  std::multiset<SteadyTime> retries_due_;  // this run's retries, by when they are due
  // Redirect targets waiting to be fetched -> redirects that led to them (taken when fetched).
  std::unordered_map<std::string, int> redirect_hops_;
};

}  // namespace provarc
