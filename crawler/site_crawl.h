// crawler/site_crawl.h: one site's part of a run: its counters, page budget, window of claimed
// entries and retries, its URL identity as it learns (identity.h, session_params.h), its trap
// guards (trap_guards.h), and how the store settles each answer (record, retry, fail, redirect,
// offer what it links, file a capture under the resource it shows, record an alias).
//
// The crawl loop (crawler.cc) owns one SiteCrawl per site and decides when to claim, start and
// wait; a SiteCrawl applies the decisions of discovery.h, admission.h and disposition.h to the
// store. Not thread-safe: used from the loop's thread only, but for read(), which the reading
// threads call.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
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
#include "crawler/identity.h"
#include "crawler/links.h"
#include "crawler/robots_cache.h"
#include "crawler/session_params.h"
#include "crawler/transport.h"
#include "crawler/trap_guards.h"

namespace provarc {

class SiteCrawl {
 public:
  using Log = std::function<void(const std::string&)>;

  // `site`, `store`, `robots`, `clock` and `log` must outlive it; `clock` gives its times.
  SiteCrawl(const SiteConfig& site, std::string user_agent, CrawlStore& store,
            const RobotsCache& robots, Transport& clock, Log log);

  const SiteConfig& config() const { return discovery_.config(); }
  const SiteDiscovery& discovery() const { return discovery_; }
  const SiteIdentity& identity() const { return identity_; }
  const std::string& user_agent() const { return user_agent_; }

  // Starts the site's part of the run begun at `run_started` (a store time, see crawler.cc) with
  // a budget of `max_pages` pages (< 0: the site's own): learns the session parameters earlier
  // runs learned, queues the start and listing URLs, again at a new pass, only if new when
  // resuming one, and at a new pass its stale articles.
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

  // What to do with claimed `item` now that it is next on its host, in the light of what the run
  // learned since it was queued: fetch it (perhaps under a better spelling of its identity, which
  // `item` then has), let it wait for a session parameter's probe, or nothing: another URL of the
  // same resource is in the frontier, or a trap guard now refuses it (it is then marked done).
  enum class Resolution { kFetch, kDefer, kSettled };
  Result<Resolution> resolve(FrontierEntry& item);
  // True while `item` carries a session parameter candidate whose probe has not decided.
  bool defers(const FrontierEntry& item) const;

  // The next probe to fetch (a page entry with id 0), taken once; nullopt when none waits.
  std::optional<FrontierEntry> take_probe();
  // Settles the answer `capture` to the probe `item` (recorded, never parsed): it confirms or
  // rejects its candidate, or asks for the page to compare it with.
  Status settle_probe(const FrontierEntry& item, const Disposition& d, const Capture& capture);
  // The probe `item` could not be fetched (robots.txt, a host left alone): its candidate is
  // rejected for this run.
  void probe_failed(const FrontierEntry& item, const std::string& why);
  // The request for `item`: the site's limits, and a conditional GET for articles and resources.
  FetchRequest request_for(const FrontierEntry& item);

  // What an answer shows, read ahead of settle() on a reading thread (crawler/reading_pool.h).
  struct Reading {
    std::unique_ptr<CrawlStore::Extraction> extraction;  // the store's (crawl_store.h)
    std::optional<PageSignals> page;  // an HTML page's links, canonical link and fingerprint
  };
  // The costly part of settling `capture`, the answer to `item` that `d` decided to read
  // (kDiscover): the store's extraction and the one parse of an HTML page (crawler/links.h).
  // Thread-safe: reads only what does not change during a run. What the links become (their
  // identity, which learns session parameters as the run goes) is decided in settle().
  Reading read(const FrontierEntry& item, const Disposition& d, const Capture& capture) const;

  // Settles the answer `capture` to `item` as `d` decided (`wait`: the delay of a kRetry), inside
  // one store transaction: records the capture, then retries, fails, follows the redirect, or
  // offers what the page links, and marks the entry. `reading`: what read() returned for it, if
  // it was read ahead (otherwise settle reads it here).
  Status settle(const FrontierEntry& item, const Disposition& d, Millis wait, Capture capture,
                Reading* reading = nullptr);
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
  // left pending and no listing cut short by a guard) and, when not, progress.stop_reason.
  Status finish();

  SiteProgress progress;
  int64_t in_memory = 0;  // claimed entries held in host queues
  int64_t in_flight = 0;  // transfers started and not handled yet

  // The earliest retry of this run still waited for, or nullopt.
  std::optional<SteadyTime> next_retry() const;

 private:
  // What a page says of itself (its rel=canonical) and what the crawl makes of it.
  struct PageIdentity {
    std::string stands_for;  // the page is this URL's resource (same identity): filed under it
    std::string alias_of;    // the page stands for this other article: an alias, not an article
    std::string evidence;
  };
  // The probe of one session parameter candidate (session_params.h).
  struct Probe {
    SessionParam param;
    std::string variant;  // a URL carrying it: fetched first
    std::string base;     // the same URL without it: fetched next when its page is not known
    bool variant_fetched = false;
    PageFingerprint variant_print;
    bool taken = false;   // the next fetch was handed to the crawl loop
  };

  Status retry(const FrontierEntry& item, const std::string& reason, Millis wait);
  Status follow_redirect(const FrontierEntry& item, const std::string& location, int hops,
                         int64_t capture_id);
  Status discover_from(const FrontierEntry& item, const Capture& capture,
                       const RecordedCapture& recorded, const PageSignals* page);
  Status offer_links(const FrontierEntry& item, const SiteDiscovery::Links& links);
  // Offers `link` found on `item` unless a trap guard refuses it; `shows_new` says whether the
  // page showed new articles (number steps from a page that did not have a small budget).
  Status offer_link(const FrontierEntry& item, const Discovered& link, bool shows_new,
                    SiteAdmission::Outcome* outcome);
  void refuse(const std::string& guard, const std::string& url, bool pagination, bool shows_new);
  PageIdentity identify(const FrontierEntry& item, const PageSignals* page);
  // A link of `page` (fetched as `url`) whose only change from `url` is a date stepping by a day,
  // a week or a month: the page is a calendar's, not an article (trap_guards.h date_step()).
  std::optional<DateStep> calendar_step_of(const std::string& url, const PageSignals& page) const;
  Status record_identity(const FrontierEntry& item, const PageIdentity& as, int64_t capture_id);
  Status queue_stale_articles();
  void count(const RecordedCapture& recorded, const Disposition& d);
  void remember_print(const std::string& url, const PageFingerprint& print);
  const PageFingerprint* print_of(const std::string& url) const;
  // When listing page `item` repeats the listing page before it (its parent_url): every one of
  // its `articles` (canonical URLs of its article links) was on that page, and the two pages have
  // the same text without links. Returns the evidence naming both signals, or "" (either signal
  // missing, or the page before not fetched in this run).
  std::string repeats_listing(const FrontierEntry& item,
                              const std::set<std::string>& articles) const;
  void observe_sessions(const FrontierEntry& item, const PageSignals& page);
  void plan_probe(const SessionParam& param);
  Status compare_with_base(const PageFingerprint& print);
  Status decide_probe(bool confirmed, const std::string& evidence);

  SiteIdentity identity_;  // before discovery_, which reads it
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
  // Claimed entries that took a better spelling since they were claimed: id -> URL.
  std::unordered_map<int64_t, std::string> respelled_;
  SessionLearner sessions_;
  std::optional<Probe> probe_;
  std::vector<SessionParam> waiting_probes_;
  StepGuard steps_;
  StepGuard calendar_steps_;  // date steps, per pattern, whatever their page showed
  std::set<std::string> calendars_noted_;  // date step patterns logged as calendars
  AliasShapeGuard alias_shapes_;
  RefusalCounter refusals_;
  ListingArticles listing_articles_;  // article links of this run's listing pages
  std::map<std::string, int> canonical_claims_;  // rel=canonical targets: pages claiming each
  std::string listings_cut_;  // the guard that cut a listing short, if one did
  // Fingerprints of pages fetched in this run (the start and listing pages, and the latest).
  std::map<std::string, PageFingerprint> prints_;
  std::deque<std::string> print_order_;
};

}  // namespace provarc
