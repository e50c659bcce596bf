// crawler/politeness.h: the per-host politeness state (one per authority, as Heritrix queues them):
// one request at a time, a minimum gap between request starts, Retry-After and exponential backoff;
// and the reading of Retry-After. Pure state over explicit time points, tested without sleeping.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "common/time.h"

namespace provarc {

using SteadyTime = std::chrono::steady_clock::time_point;
using Millis = std::chrono::milliseconds;

// How long a Retry-After header (RFC 9110 10.2.3) asks to wait, measured from `now`: either
// delta-seconds ("120") or an HTTP-date in any of its three forms (common/time.h). A date in the
// past means zero. nullopt when the value is neither (empty, negative, garbage): the caller then
// falls back to its own backoff. Values beyond a day are clamped to a day, so a hostile header
// cannot park a host for years. Thread-safe.
std::optional<Millis> parse_retry_after(std::string_view value, WallTime now);

struct PolitenessRules {
  Millis delay{1000};             // the site's minimum gap between request starts
  Millis max_crawl_delay{30000};  // robots.txt Crawl-delay is honoured up to this
  Millis max_backoff{300000};     // cap of the exponential backoff (and the length of a pause)
  int pause_after_failures = 6;   // consecutive transient failures that pause the host
  int give_up_after_failures = 12;  // ... after which the run leaves the host alone
};

// Not thread-safe: owned and used by the crawler's single event loop.
class HostPoliteness {
 public:
  explicit HostPoliteness(const PolitenessRules& rules);

  // Applies a robots.txt Crawl-delay (seconds; nullopt or negative for none), capped at
  // rules.max_crawl_delay. The effective delay never drops below the site's own.
  void set_crawl_delay(std::optional<double> seconds);
  // A site using this host: its delay and Crawl-delay cap apply, and with several sites sharing
  // the host, the larger of each (the politer).
  void add_site_rules(Millis delay, Millis max_crawl_delay);

  // The gap enforced between request starts: max(site delay, capped Crawl-delay).
  Millis delay() const;

  // True when a request may start at `now`: none in flight, the gap since the last start has
  // passed, any backoff or Retry-After wait is over, and the run has not given up on the host.
  bool ready(SteadyTime now) const;
  // The earliest time a request may start (ignores busy()).
  SteadyTime next_start() const { return next_start_; }
  bool busy() const { return busy_; }

  // A request starts at `start`: the host is busy until on_finish().
  void on_start(SteadyTime start);
  // The request that started finished; the server had received it by `received_by` (the first
  // byte of the answer). The next start is at least `delay()` after that, so the server never
  // sees two requests closer, however long connecting took.
  void on_finish(SteadyTime received_by);

  // The host answered normally: the failure streak ends.
  void on_success();
  // A transient failure (5xx, timeout, reset, 429/503 without a usable Retry-After) at `now`:
  // waits delay × 2^streak, capped at rules.max_backoff; from rules.pause_after_failures on, the
  // host pauses for the whole cap. Returns the wait applied.
  Millis on_transient_failure(SteadyTime now);
  // A 429/503 with Retry-After: no request before `now + wait` (nor before the usual gap). Counts
  // as a failure of the streak, without growing the wait beyond what the server asked.
  void on_retry_after(SteadyTime now, Millis wait);

  int failure_streak() const { return streak_; }
  // True once the streak reached rules.give_up_after_failures: the run stops using this host.
  bool gave_up() const { return streak_ >= rules_.give_up_after_failures; }

 private:
  PolitenessRules rules_;
  std::optional<double> raw_crawl_delay_;  // as robots.txt gave it, re-capped when rules change
  Millis crawl_delay_{0};
  SteadyTime last_start_{};
  SteadyTime next_start_{};
  bool busy_ = false;
  int streak_ = 0;
};

}  // namespace provarc
