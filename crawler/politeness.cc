#include "crawler/politeness.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/ascii.h"

namespace provarc {

std::optional<Millis> parse_retry_after(std::string_view value, WallTime now) {
  constexpr Millis kMaxRetryAfter = std::chrono::hours(24);
  value = ascii::trim(value);
  if (!value.empty() && std::all_of(value.begin(), value.end(), ascii::is_digit)) {
    // Anything longer than 6 digits is beyond the one-day clamp anyway (and would overflow).
    if (value.size() > 6) return kMaxRetryAfter;
    Millis wait = std::chrono::seconds(std::stol(std::string(value)));
    return std::min(wait, kMaxRetryAfter);
  }
  std::optional<WallTime> when = parse_http_date(value, now);
  if (!when) return std::nullopt;
  auto wait = std::chrono::duration_cast<Millis>(*when - now);
  if (wait < Millis(0)) return Millis(0);
  return std::min(wait, kMaxRetryAfter);
}

HostPoliteness::HostPoliteness(const PolitenessRules& rules) : rules_(rules) {}

void HostPoliteness::set_crawl_delay(std::optional<double> seconds) {
  raw_crawl_delay_ = seconds;
  if (!seconds || !std::isfinite(*seconds) || *seconds <= 0) {
    crawl_delay_ = Millis(0);
    return;
  }
  double capped = std::min(*seconds * 1000.0, static_cast<double>(rules_.max_crawl_delay.count()));
  crawl_delay_ = Millis(static_cast<int64_t>(std::ceil(capped)));
  next_start_ = std::max(next_start_, last_start_ + delay());
}

void HostPoliteness::add_site_rules(Millis delay, Millis max_crawl_delay) {
  rules_.delay = std::max(rules_.delay, delay);
  rules_.max_crawl_delay = std::max(rules_.max_crawl_delay, max_crawl_delay);
  if (raw_crawl_delay_) set_crawl_delay(raw_crawl_delay_);
  next_start_ = std::max(next_start_, last_start_ + this->delay());
}

Millis HostPoliteness::delay() const { return std::max(rules_.delay, crawl_delay_); }

bool HostPoliteness::ready(SteadyTime now) const {
  return !busy_ && !gave_up() && now >= next_start_;
}

void HostPoliteness::on_start(SteadyTime start) {
  busy_ = true;
  last_start_ = start;
  next_start_ = std::max(next_start_, start + delay());
}

void HostPoliteness::on_finish(SteadyTime received_by) {
  busy_ = false;
  // The request may have waited for a connection: measure the gap from when it surely arrived.
  last_start_ = std::max(last_start_, received_by);
  next_start_ = std::max(next_start_, last_start_ + delay());
}

void HostPoliteness::on_success() { streak_ = 0; }

Millis HostPoliteness::on_transient_failure(SteadyTime now) {
  ++streak_;
  Millis wait = rules_.max_backoff;
  if (streak_ < rules_.pause_after_failures) {
    // delay × 2^streak without overflow: stop doubling once past the cap.
    Millis grown = delay();
    for (int i = 0; i < streak_ && grown < rules_.max_backoff; ++i) grown *= 2;
    wait = std::min(grown, rules_.max_backoff);
  }
  next_start_ = std::max(next_start_, now + wait);
  return wait;
}

void HostPoliteness::on_retry_after(SteadyTime now, Millis wait) {
  ++streak_;
  next_start_ = std::max({next_start_, now + wait, last_start_ + delay()});
}

}  // namespace provarc
