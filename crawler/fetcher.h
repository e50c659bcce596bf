// crawler/fetcher.h: HTTP transfers through one libcurl multi handle: many hosts at once, one
// connection each, bodies decoded and capped, redirects reported rather than followed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/capture.h"
#include "common/result.h"
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
  SteadyTime started{};          // when start() was called
  // By when the server had certainly received the request: when the first byte of its answer
  // came back, or when the transfer ended if none did. Politeness measures gaps from here, so the
  // server never sees two requests closer than the delay, however long connecting took.
  SteadyTime received_by{};
};

// Owns one CURLM and the easy handles of the transfers in flight. Not thread-safe: one thread
// drives it (the crawler's event loop). At most one connection per host is opened
// (CURLMOPT_MAX_HOST_CONNECTIONS); connections are reused between transfers to a host.
class Fetcher {
 public:
  // Fails only when libcurl cannot be initialised (out of memory).
  static Result<std::unique_ptr<Fetcher>> create();
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Starts a GET of `request.url` (HTTP/2 over TLS when the server offers it, else HTTP/1.1;
  // gzip, deflate, br and zstd accepted and decoded). Failures to start surface as a result with
  // outcome kError from the next wait().
  void start(const FetchRequest& request, SteadyTime now);

  // Drives the transfers for at most `timeout` (returning early when one finishes) and returns
  // those that finished, in no particular order.
  std::vector<FetchResult> wait(Millis timeout);

  size_t in_flight() const;

 private:
  struct Transfer;
  struct Impl;
  Fetcher();
  std::unique_ptr<Impl> impl_;
};

}  // namespace provarc
