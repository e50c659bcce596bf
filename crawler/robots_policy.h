// crawler/robots_policy.h: what a robots.txt answer means (RFC 9309 2.3.1), decided once for the
// crawl, `provarc sites try` (fetch_one) and `provarc robots`.
//
// robots_verdict() maps the answer to one fetch of a robots.txt URL to a verdict:
//
// | answer                                        | verdict                                  |
// |-----------------------------------------------|------------------------------------------|
// | 2xx (also a body cut at kRobotsFetchBytes)    | kRules: the body parsed (2.3.1.1, 2.5)   |
// | 3xx with a Location, after < 5 redirects      | kFollow: fetch the Location (2.3.1.2)    |
// | 3xx after 5 redirects, or no usable Location  | kAllowAll: unavailable (2.3.1.2)         |
// | 4xx but 429                                   | kAllowAll: unavailable (2.3.1.3)         |
// | 429                                           | kDisallowAll: unreachable, see below     |
// | 5xx                                           | kDisallowAll: unreachable (2.3.1.4)      |
// | no answer (DNS, connect, TLS, timeout, reset) | kDisallowAll: unreachable (2.3.1.4)      |
// | any other status (1xx, 600 and up)            | kDisallowAll: unreachable, see below     |
//
// kDisallowAll carries the server's Retry-After of a 429 or 503 (RFC 9110 10.2.3); robots.txt is
// asked again after it, or after the host's backoff when there is none.
//
// Deviations from RFC 9309, each deliberate:
//  - 429 Too Many Requests is a 4xx, which 2.3.1.3 reads as "unavailable: crawl anything". But a
//    server answering 429 is asking the crawler to slow down, not telling it there are no rules;
//    fetching every page of a site that is shedding load would be the least polite reading. 429
//    is therefore treated like 503: unreachable, nothing fetched until robots.txt is asked again
//    after the server's Retry-After (or the host's backoff). Google's crawlers do the same (Google
//    Search Central, "How Google interprets the robots.txt specification": all 4xx errors except
//    429 as if there were no robots.txt; 429 as a server error).
//  - Statuses outside 200-599 are not covered by the RFC; they are read as unreachable, the
//    cautious side.
//  - 2.3.1.4 lets a crawler that finds robots.txt unreachable for a long time (30 days, say)
//    assume it unavailable or keep using a cached copy; neither is done: a run never guesses.
// Where the rules then apply (caching for 24 hours, 2.4) is crawler/robots_cache.h's business.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "common/capture.h"
#include "common/time.h"
#include "crawler/robots.h"
#include "crawler/transport.h"

namespace provarc {

// RFC 9309 2.3.1.2: a crawler should follow at least five consecutive redirects.
inline constexpr int kMaxRobotsRedirects = 5;
// What a robots.txt fetch reads: one byte past what the parser reads (RFC 9309 2.5), so that the
// parser still sees whether the limit cut a line.
inline constexpr int64_t kRobotsFetchBytes = RobotsTxt::kMaxBytes + 1;

struct RobotsVerdict {
  enum class Kind {
    kRules,        // obey `rules`, parsed from the answer
    kAllowAll,     // unavailable: everything allowed (rules is RobotsTxt::allow_all())
    kDisallowAll,  // unreachable: nothing but /robots.txt allowed until robots.txt is asked again
    kFollow,       // a redirect: fetch `follow` (counting one more redirect) and decide on that
  };
  Kind kind = Kind::kAllowAll;
  RobotsTxt rules = RobotsTxt::allow_all();
  // kDisallowAll: the wait the server asked for (Retry-After of a 429 or 503, RFC 9110 10.2.3);
  // nullopt leaves the wait to the host's backoff.
  std::optional<std::chrono::milliseconds> retry_after;
  std::string follow;  // kFollow: the absolute http(s) URL to fetch next
  // Why, in words and with the RFC's section, for messages; "" for kRules and kFollow. E.g.
  // "HTTP 404: robots.txt unavailable, everything allowed (RFC 9309 2.3.1.3)".
  std::string reason;
};

// The verdict on `answer`, the response to a robots.txt URL that `redirects` redirects led to
// (0 for the first request), received at `now` (for a Retry-After date). Pure and thread-safe.
RobotsVerdict robots_verdict(const Capture& answer, int redirects, WallTime now);

// The request for a robots.txt URL: at most kRobotsFetchBytes, a longer body cut and kept (RFC
// 9309 2.5), with `rules`' timeouts and TLS setting.
FetchRequest robots_request(const std::string& url, const std::string& user_agent,
                            const CrawlRules& rules);

}  // namespace provarc
