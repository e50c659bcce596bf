// crawler/robots_cache.h: the robots.txt of every origin a crawl has met, and where its fetch
// stands: unknown, being fetched, read (for 24 hours, RFC 9309 2.4) or unreachable.
//
// The crawl keeps one cache for the run. What a fetch's answer means is robots_policy.h's
// decision; the cache only remembers the outcome. Not thread-safe: the crawl loop owns it.
#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

#include "crawler/politeness.h"
#include "crawler/robots.h"

namespace provarc {

class RobotsCache {
 public:
  enum class State {
    kUnknown,      // never fetched, or read longer than kLifetime ago: fetch it
    kFetching,     // a fetch (or a chain of redirects) is under way
    kReady,        // read: rules() applies
    kUnreachable,  // the last fetch found it unreachable: nothing allowed until it is asked again
  };

  // RFC 9309 2.4: a crawler should not use a cached robots.txt for more than 24 hours.
  static constexpr std::chrono::hours kLifetime{24};

  // Where `origin` ("scheme://host[:port]") stands at `now`: a kReady entry older than kLifetime
  // reads kUnknown (and is forgotten).
  State state(const std::string& origin, SteadyTime now);

  // A fetch of `origin`'s robots.txt starts.
  void fetching(const std::string& origin);
  // `origin`'s robots.txt was read at `now`: `rules` apply until now + kLifetime.
  void ready(const std::string& origin, RobotsTxt rules, SteadyTime now);
  // `origin`'s robots.txt cannot be read now: everything is disallowed until the next fetch.
  void unreachable(const std::string& origin);

  // The rules of `origin` when kReady, or RobotsTxt::disallow_all() when kUnreachable; nullptr
  // otherwise.
  const RobotsTxt* rules(const std::string& origin) const;

  // True when the robots.txt already read for `url`'s origin forbids it to `user_agent`; false
  // when it allows it or has not been read.
  bool known_disallowed(const std::string& user_agent, const std::string& url) const;

 private:
  struct Entry {
    State state = State::kUnknown;
    RobotsTxt rules = RobotsTxt::allow_all();
    SteadyTime expires{};
  };
  std::unordered_map<std::string, Entry> by_origin_;
};

}  // namespace provarc
