// crawler/fetch_one.h: fetching one page politely outside a crawl (`provarc sites try --url`):
// robots.txt first under the site's User-Agent, then a single GET with its timeouts and size cap.
#pragma once

#include <string>

#include "common/capture.h"
#include "common/result.h"
#include "config/config.h"

namespace provarc {

struct OneFetch {
  Capture capture;     // the page's answer (kind page, site set); a 3xx is not followed
  std::string robots;  // how robots.txt allowed it: "allowed by <origin>/robots.txt line 3 (...)"
};

// Fetches `url` as the crawler would for `site`: its origin's robots.txt first (redirects followed
// up to five times; a 4xx allows everything), then, at least the site's delay (and robots.txt's
// Crawl-delay, up to the site's cap) later, one GET with the site's User-Agent, timeouts, TLS
// setting and max_body_bytes. Blocks until both answers are in.
// Fails, naming the URL, without fetching the page when: `url` is not absolute http(s); robots.txt
// cannot be reached or answers 5xx or 429 (RFC 9309: assume everything is disallowed); robots.txt
// disallows it (the message quotes the rule); or the page fetch itself fails (no response,
// timeout, body over the cap). Thread-safe: each call has its own transfers.
Result<OneFetch> fetch_one(const SiteConfig& site, const std::string& url);

}  // namespace provarc
