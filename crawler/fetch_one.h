// crawler/fetch_one.h: fetching politely outside a crawl: one page as the crawler would fetch it
// (`provarc sites try --url`), a few dozen pages of one site in turn (`provarc sites new`), and a
// robots.txt as the crawler would read it (`provarc robots`).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/capture.h"
#include "common/result.h"
#include "config/config.h"
#include "crawler/robots_policy.h"
#include "crawler/transport.h"

namespace provarc {

struct FetchedRobots {
  std::string url;        // the robots.txt URL asked for (before any redirect)
  std::string final_url;  // the URL whose answer decided (after redirects)
  RobotsVerdict verdict;  // never kFollow: redirects are followed (robots_policy.h)
};

// Fetches the robots.txt at `url` with `user_agent` and `rules`' timeouts and TLS setting, follows
// its redirects as robots_policy.h says, and returns the verdict on the last answer. Never fails:
// an unreachable robots.txt is a verdict (kDisallowAll), as the crawl reads it. Uses `transport`
// alone (nothing else may be in flight on it).
FetchedRobots fetch_robots(Transport& transport, const std::string& url,
                           const std::string& user_agent, const CrawlRules& rules);

struct OneFetch {
  Capture capture;     // the page's answer (kind page, site set); a 3xx is not followed
  std::string robots;  // how robots.txt allowed it: "allowed by <origin>/robots.txt line 3 (...)"
};

// Fetches `url` as the crawler would for `site`: its origin's robots.txt first (fetch_robots),
// then, at least the site's delay (and robots.txt's Crawl-delay, up to the site's cap) later, one
// GET with the site's User-Agent, timeouts, TLS setting and max_body_bytes. Blocks until both
// answers are in (on `transport`'s clock).
// Fails, naming the URL, without fetching the page when: `url` is not absolute http(s); robots.txt
// is unreachable (no answer, 5xx, 429: robots_policy.h), the message saying why; robots.txt
// disallows it (the message quotes the rule); or the page fetch itself fails (no response,
// timeout, body over the cap). Thread-safe: each call has its own transfers.
Result<OneFetch> fetch_one(const SiteConfig& site, const std::string& url);
// The same on `transport` (tests: a scripted one).
Result<OneFetch> fetch_one(const SiteConfig& site, const std::string& url, Transport& transport);

// Pages of one site fetched one after another, each as fetch_one() fetches it, but with each
// origin's robots.txt read once and the gap kept between any two requests to an origin (the
// site's delay, raised to robots.txt's Crawl-delay up to the site's cap): a crawl's politeness
// for a short walk. A 3xx is returned, not followed. Not thread-safe; `site` and `transport`
// must outlive it.
class PoliteFetcher {
 public:
  PoliteFetcher(const SiteConfig& site, Transport& transport);

  // Fails as fetch_one() does: not an absolute http(s) URL, robots.txt unreachable or
  // disallowing `url`, or the page fetch itself failing.
  Result<OneFetch> fetch(const std::string& url);

  int requests() const { return requests_; }  // robots.txt and pages asked for so far

 private:
  struct Origin {
    FetchedRobots robots;
    Millis gap{0};
    std::optional<SteadyTime> last_start;
  };
  Origin& origin(const std::string& origin_url, const std::string& agent);
  void wait_turn(Origin& origin);

  const SiteConfig* site_;
  Transport* transport_;
  std::map<std::string, Origin> origins_;
  int requests_ = 0;
};

}  // namespace provarc
