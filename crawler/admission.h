// crawler/admission.h: which discovered URLs enter a site's frontier in this run: new ones up to
// the site's cap for a run, known ones again as their revisit rule says, once a run at most.
//
// The frontier remembers the URLs, through the store's unique (site, URL) key, not the crawler: a
// site of a million URLs costs no memory here (bench/README.md, "Memory"). Not thread-safe: the
// crawl loop owns one per site and calls it from its thread.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "common/time.h"
#include "config/config.h"
#include "crawler/crawl_store.h"
#include "crawler/discovery.h"
#include "crawler/robots_cache.h"

namespace provarc {

// URLs a site may add in one run: 20 per page of its budget, at least 1 000, at most a million.
// Beyond that a site is generating links (a trap, or hostile), and the frontier must stay bounded.
int64_t discovery_limit(int64_t page_budget);

class SiteAdmission {
 public:
  // `store` and `robots` must outlive it. `user_agent` is the site's, for robots.txt.
  SiteAdmission(CrawlStore& store, const RobotsCache& robots, const SiteConfig& site,
                std::string user_agent);

  // The run's terms: `resumed` continues a pass an earlier run left unfinished (whose completed
  // URLs stay completed); every fetch of this run is at or after `run_started` (a store time, see
  // crawler.cc's start_of_run_utc); at most `limit` URLs are added or queued again.
  void begin_run(bool resumed, std::string run_started, int64_t limit);

  struct Outcome {
    bool queued = false;     // queued (new, or again): the site has something more to claim
    bool is_new = false;     // new to the frontier: no URL of its identity was known
    bool capped = false;     // refused: the run's cap on new URLs was reached
    bool respelled = false;  // a waiting entry of its identity took its URL (crawl_store.h)
    int64_t id = 0;          // the entry of its identity (0 when capped)
    std::string url;         // that entry's URL
    FrontierState state = FrontierState::kQueued;  // that entry's state after the offer
    // New to the archive: new to the frontier, or waiting in it and never fetched (found earlier
    // in this pass, or left by a pass cut short).
    bool unfetched = false;
  };
  // Offers `found` at `now`. A URL the frontier knows is queued again when its revisit rule says
  // so, unless the pass is resumed, it was fetched in this run, or robots.txt already refuses it.
  // Fails only when the store does.
  Result<Outcome> offer(const Discovered& found, WallTime now);

  bool resumed() const { return resumed_; }
  // The warning to log, once, when the cap was reached ("" otherwise; cleared once read).
  std::string take_cap_warning();

 private:
  bool fetched_in_this_run(const std::string& last_fetched, WallTime now) const;

  CrawlStore& store_;
  const RobotsCache& robots_;
  const SiteConfig& site_;
  std::string user_agent_;
  bool resumed_ = false;
  std::string run_started_;
  int64_t limit_ = 0;
  int64_t admitted_ = 0;
  bool capped_ = false;
  std::string cap_warning_;
};

}  // namespace provarc
