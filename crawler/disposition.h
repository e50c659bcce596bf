// crawler/disposition.h: what becomes of a frontier entry once its fetch has finished: done,
// retried after a wait, failed, redirected, or read for links; decided from the answer alone.
//
// Pure functions, but for apply_to_host(), which applies a decision to a host's politeness; the
// crawl loop applies the rest (the store, discovery: site_crawl.h).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/frontier.h"
#include "common/time.h"
#include "crawler/politeness.h"
#include "crawler/transport.h"

namespace provarc {

struct Disposition {
  enum class Kind {
    kRetry,     // a transient failure (no answer, 5xx, 429): queued again after a wait
    kFail,      // a failure that will not heal by retrying (TLS, body over the cap, a reset)
    kDone,      // the answer is the record: 4xx, a 3xx without Location, a 304
    kRedirect,  // a 3xx with a Location: done, and the target is offered to the frontier
    kDiscover,  // a 2xx: done once its links (an article's images and attachments) are offered
  };
  Kind kind = Kind::kDone;
  // Counted among the site's errors: no usable answer, 5xx or 429 (kRetry and kFail).
  bool error = false;
  // kRetry: the wait the server asked for (Retry-After of a 429 or 503); nullopt: the host backs
  // off. Politeness follows the kind: kRetry is a transient failure of the host, kFail says nothing
  // of the host, every other kind means the host answered (its failure streak ends).
  std::optional<std::chrono::milliseconds> retry_after;
  std::string reason;    // kRetry and kFail: the error to record ("HTTP 503", the transport's)
  std::string redirect;  // kRedirect: the absolute Location
  bool not_modified = false;     // kDone: a 304 to a conditional GET
  bool parse_as_article = false;  // the store extracts an article from the capture
};

// The disposition of `result`, the answer to a frontier entry whose URL the site takes for an
// article page when `article_page`, received at `now` (for a Retry-After date). Thread-safe.
Disposition decide(const FetchResult& result, bool article_page, WallTime now);

// Applies `d` to the politeness of the host that answered, at `now`: a kRetry is a transient
// failure (the server's Retry-After, or the backoff), a kFail says nothing of the host, every other
// kind ends its failure streak. Returns the wait before a kRetry may be tried again, else zero.
Millis apply_to_host(const Disposition& d, HostPoliteness& host, SteadyTime now);

// The error to fail `item` with when a retry for `reason` would exceed `max_retries` attempts
// ("HTTP 503 (gave up after 5 attempts)"); nullopt while it may be tried again.
std::optional<std::string> retries_exhausted(const FrontierEntry& item, int max_retries,
                                             const std::string& reason);

}  // namespace provarc
