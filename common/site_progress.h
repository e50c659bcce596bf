// common/site_progress.h: what a crawl did on one site, counted by the crawler while it runs,
// shown live and summed up by `provarc crawl`, and recorded per run by the archive (run_sites).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/identity.h"

namespace provarc {

struct SiteProgress {
  std::string site;
  // Recorded with the run (archive: run_sites) and read back by `provarc runs`:
  int64_t fetched = 0;       // requests completed (any kind, any outcome, robots.txt included)
  int64_t pages = 0;         // page requests (the page budget counts these)
  int64_t new_articles = 0;
  int64_t changed = 0;
  int64_t unchanged = 0;
  int64_t not_modified = 0;  // 304 answers to conditional GETs
  int64_t gone = 0;          // known articles that answered 404 or 410 (marked gone by the store)
  int64_t errors = 0;        // fetches that failed: no response, a cut-off body, 5xx, 429
  int64_t failed = 0;        // items given up on (after max_retries, or a permanent error)
  int64_t bytes = 0;         // body bytes received (after decoding)
  int64_t duration_ms = 0;   // from the run's start to the site's latest completed fetch
  bool finished = false;     // the pass is complete: nothing left queued, no listing cut short
  // URLs each trap guard refused (distinct URLs, by guard name: common/identity.h).
  std::map<std::string, int64_t> refused;
  // Session parameters learned in this run (common/identity.h).
  std::vector<LearnedSession> sessions;
  int64_t collapsed = 0;  // URLs not fetched because another URL of the same resource was
  int64_t aliases = 0;    // fetches that turned out to stand for another URL (recorded as aliases)
  // Live only (in the run's counts JSON at most; read back as zero):
  int64_t queued = 0;          // items waiting in the frontier (claimed or not)
  int64_t retries = 0;         // items put back for a later attempt
  int64_t disallowed = 0;      // items robots.txt forbade (not fetched)
  int64_t parse_failures = 0;  // article pages whose extraction failed
  // Links not followed because a page or sitemap had more than the crawler reads of one
  // (crawler/links.h, kMaxLinksPerDocument), counted as written.
  int64_t links_dropped = 0;
  int64_t delay_ms = 0;        // current gap between requests to the site's first host
  std::string stop_reason;     // why the site stopped early: "page budget", "time limit", ...
};

}  // namespace provarc
