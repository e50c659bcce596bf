// crawler/transport.h: the crawler's way to the network and to the time: an interface that the
// libcurl fetcher implements (crawler/fetcher.h) and tests script on a virtual clock.
//
// The crawl loop, fetch_one and `provarc robots` start requests, wait for answers and read the
// clocks only through a Transport. The curl one reads the system's clocks and really waits; a
// scripted one (tests/support/scripted_transport.h) answers from a script and moves a virtual
// clock forward when waited on, so politeness gaps, Retry-After and backoffs of minutes are
// tested in microseconds, without sockets or sleeps.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/capture.h"
#include "common/time.h"
#include "config/config.h"
#include "crawler/politeness.h"

namespace provarc {

struct FetchRequest {
  uint64_t token = 0;        // the caller's handle on this transfer, returned in its result
  std::string url;           // absolute http(s)
  std::string user_agent;
  std::vector<HttpHeader> extra_headers;  // If-None-Match, If-Modified-Since, ...
  int64_t max_body_bytes = 20LL * 1024 * 1024;  // bounds the DECODED body: a gzip bomb stops here
  // At max_body_bytes: false records an error (the body is dropped); true ends the transfer and
  // keeps the first max_body_bytes as an ok response whose `error` says it was cut (robots.txt
  // and sitemaps: read what fits).
  bool keep_truncated_body = false;
  int64_t connect_timeout_ms = 15000;
  int64_t total_timeout_ms = 120000;
  bool verify_tls = true;
};

struct FetchResult {
  uint64_t token = 0;
  // url, outcome, error, status, http_version, request and response headers, redirect_target,
  // body and ip are filled; the caller fills site, kind, parent_url and fetched_at.
  Capture capture;
  bool body_too_large = false;   // cut off at max_body_bytes (outcome kError unless kept)
  bool timed_out = false;        // connect or total timeout (outcome kError)
  bool tls_failure = false;      // certificate or handshake failure (outcome kError)
  bool host_not_found = false;   // the host name did not resolve (outcome kError)
  // The connection was reset or closed with no answer at all (outcome kError): a hostile URL, not
  // fetched again in the same pass.
  bool reset = false;
  SteadyTime started{};          // when start() was called
  // By when the server had certainly received the request: when the first byte of its answer
  // came back, or when the transfer ended if none did. Politeness measures gaps from here, so the
  // server never sees two requests closer than the delay, however long connecting took.
  SteadyTime received_by{};
};

// Implementations are driven by one thread (the crawl loop, or one fetch_one call) and need not
// be thread-safe, but for wake().
class Transport {
 public:
  virtual ~Transport() = default;

  // Starts a GET of `request.url`. Never fails here: a transfer that cannot start comes back from
  // the next wait() with outcome kError and the reason in its capture's error.
  virtual void start(const FetchRequest& request) = 0;

  // Waits at most `timeout` for transfers to finish, returning as soon as one has, and returns
  // those that finished, in no particular order (empty when none did). With nothing in flight it
  // just waits out `timeout`.
  virtual std::vector<FetchResult> wait(Millis timeout) = 0;

  // Transfers started and not yet returned by wait().
  virtual size_t in_flight() const = 0;

  // Makes a wait() in progress, or else the next one, return at once. The one method that may be
  // called from any thread (the crawl's reading threads call it when a reading is done). The
  // default does nothing: wait() then runs its course.
  virtual void wake() {}

  // The monotonic clock politeness runs on, and the wall clock of the store's UTC times.
  virtual SteadyTime now() const = 0;
  virtual WallTime wall_now() const = 0;
  // Blocks for `duration` (a virtual transport moves its clocks instead).
  virtual void sleep_for(std::chrono::steady_clock::duration duration) = 0;
};

// Runs `request` alone to completion on `transport` (nothing else may be in flight).
FetchResult fetch_blocking(Transport& transport, const FetchRequest& request);

// A request for `url` with `rules`' timeouts, TLS setting and page size cap (max_body_bytes).
FetchRequest request_with_rules(const std::string& url, const std::string& user_agent,
                                const CrawlRules& rules);

}  // namespace provarc
