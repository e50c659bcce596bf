// tests/support/scripted_transport.h: a crawler Transport (crawler/transport.h) that answers from
// a script on a virtual clock: no sockets, no sleeps. The crawl loop, fetch_one and the robots.txt
// policy run minutes of politeness gaps, Retry-After waits and backoffs in microseconds, and every
// request is logged with its virtual start time.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "crawler/transport.h"

namespace provarc::testing {

// One scripted answer.
struct ScriptedAnswer {
  int status = 200;
  std::vector<HttpHeader> headers;  // Content-Type, Retry-After, Location (made absolute), ...
  std::string body;
  // Non-empty: no answer at all (CaptureOutcome::kError), with this error and these flags.
  std::string error;
  bool host_not_found = false;
  bool tls_failure = false;
  bool reset = false;
  // From start() to the first byte (received_by) and to the end of the transfer.
  Millis latency{20};
};

ScriptedAnswer html_answer(const std::string& body);
ScriptedAnswer text_answer(const std::string& body, int status = 200);
ScriptedAnswer status_answer(int status, const std::string& retry_after = "");
ScriptedAnswer redirect_answer(const std::string& location, int status = 301);
ScriptedAnswer failed_answer(const std::string& error);

// A request as the transport saw it.
struct ScriptedRequest {
  FetchRequest request;
  SteadyTime started;
};

class ScriptedTransport : public Transport {
 public:
  // Virtual time starts at an arbitrary steady time point and at 2026-11-21T00:00:00Z.
  ScriptedTransport();

  // `url` answers `answers` in turn; the last repeats. A URL without a script answers 404.
  void script(const std::string& url, std::vector<ScriptedAnswer> answers);
  void script(const std::string& url, ScriptedAnswer answer) { script(url, std::vector{answer}); }

  const std::vector<ScriptedRequest>& requests() const { return requests_; }
  // The virtual start times of the requests for `url`, in order.
  std::vector<SteadyTime> starts_of(const std::string& url) const;
  int count(const std::string& url) const { return static_cast<int>(starts_of(url).size()); }
  // The URLs requested, in order.
  std::vector<std::string> urls() const;
  // Virtual time elapsed since construction.
  Millis elapsed() const;

  void start(const FetchRequest& request) override;
  // Moves the clock to the first transfer's end when it comes within `timeout`, else by
  // `timeout`, and returns the transfers done by then. Aborts the test program after a million
  // calls (a loop that never ends).
  std::vector<FetchResult> wait(Millis timeout) override;
  size_t in_flight() const override { return pending_.size(); }
  SteadyTime now() const override { return now_; }
  WallTime wall_now() const override { return wall_epoch_ + (now_ - steady_epoch_); }
  void sleep_for(std::chrono::steady_clock::duration duration) override { now_ += duration; }

 private:
  struct Pending {
    SteadyTime done;
    FetchResult result;
  };
  FetchResult answer(const FetchRequest& request);

  SteadyTime steady_epoch_;
  WallTime wall_epoch_;
  SteadyTime now_;
  std::map<std::string, std::vector<ScriptedAnswer>> scripts_;
  std::map<std::string, size_t> served_;  // answers given per URL
  std::vector<ScriptedRequest> requests_;
  std::vector<Pending> pending_;
  int64_t waits_ = 0;
};

}  // namespace provarc::testing
