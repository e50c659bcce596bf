// crawler/fetcher.h: the Transport of a real crawl: HTTP transfers through one libcurl multi
// handle, many hosts at once, one connection each, bodies decoded and capped, redirects reported.
#pragma once

#include <memory>
#include <vector>

#include "common/result.h"
#include "crawler/transport.h"

namespace provarc {

// Owns one CURLM and the easy handles of the transfers in flight. Not thread-safe: one thread
// drives it (the crawler's event loop). At most one connection per host is opened
// (CURLMOPT_MAX_HOST_CONNECTIONS); connections are reused between transfers to a host. Its clocks
// are the system's: std::chrono::steady_clock and system_clock.
class Fetcher final : public Transport {
 public:
  // Fails only when libcurl cannot be initialised (out of memory).
  static Result<std::unique_ptr<Fetcher>> create();
  ~Fetcher() override;
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // A GET of `request.url` (HTTP/2 over TLS when the server offers it, else HTTP/1.1; gzip,
  // deflate, br and zstd accepted and decoded); a 3xx is not followed, its Location is reported.
  void start(const FetchRequest& request) override;
  // Drives the transfers for at most `timeout` (curl_multi_poll).
  std::vector<FetchResult> wait(Millis timeout) override;
  size_t in_flight() const override;
  void wake() override;  // curl_multi_wakeup(), which libcurl allows from any thread

  SteadyTime now() const override { return std::chrono::steady_clock::now(); }
  WallTime wall_now() const override { return std::chrono::system_clock::now(); }
  void sleep_for(std::chrono::steady_clock::duration duration) override;

 private:
  struct Transfer;
  struct Impl;
  Fetcher();
  std::unique_ptr<Impl> impl_;
};

}  // namespace provarc
