// crawler/robots_gate.h: the robots.txt side of a run: whether a claimed entry may be fetched
// (its origin's robots.txt read and allowing it), which robots.txt must be fetched first, and what
// each robots.txt answer does to the cache and to the hosts' politeness.
//
// What an answer means is robots_policy.h's verdict; the gate applies it: rules are cached for
// their origin (robots_cache.h), a redirect queues the next fetch on its target's host, an
// unreachable robots.txt holds its origin back for the server's Retry-After or the host's
// backoff. Not thread-safe: the crawl loop owns it.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "crawler/host_queue.h"
#include "crawler/robots.h"
#include "crawler/robots_cache.h"
#include "crawler/robots_policy.h"
#include "crawler/transport.h"

namespace provarc {

class RobotsGate {
 public:
  // `hosts` and `clock` must outlive it.
  RobotsGate(HostQueues& hosts, Transport& clock) : hosts_(hosts), clock_(clock) {}

  const RobotsCache& cache() const { return cache_; }

  struct Pass {
    enum class Kind {
      kWait,        // its robots.txt is being fetched (through a redirect, elsewhere): wait
      kFetchFirst,  // its robots.txt must be fetched first: queued at the front of the host's
                    // robots.txt fetches
      kAllowed,     // fetch it
      kDisallowed,  // robots.txt forbids it: `why` says which line
      kBadUrl,      // it has no origin: `why` says why
    };
    Kind kind = Kind::kWait;
    std::string why;
  };
  // May `task`, the next of `host`, be fetched at `now` with `user_agent`?
  Pass check(HostQueue& host, const Task& task, const std::string& user_agent, SteadyTime now);

  struct Applied {
    bool unreachable = false;    // nothing may be fetched from the origin for now (an error)
    bool abandon_host = false;   // the host fetched cannot be reached in this run (DNS, TLS)
    HostQueue* owner = nullptr;  // the origin's host, when `rules` now apply there
    const RobotsTxt* rules = nullptr;  // the origin's rules, when read (or allow-all)
  };
  // Applies `verdict`, the answer that `host` gave to `fetch`, for a site whose rules are
  // `site_rules` (a redirect's target host takes them).
  Applied apply(const RobotsFetch& fetch, RobotsVerdict& verdict, const FetchResult& result,
                HostQueue& host, const CrawlRules& site_rules);

  // RFC 9309 2.3.1.4: nothing may be fetched from `origin` until its robots.txt answers; it is
  // asked again after the server's `retry_after`, or the host's backoff.
  void unreachable(const std::string& origin, std::optional<Millis> retry_after);

 private:
  Applied ready(const std::string& origin, HostQueue& owner, RobotsTxt rules);

  HostQueues& hosts_;
  Transport& clock_;
  RobotsCache cache_;
};

}  // namespace provarc
