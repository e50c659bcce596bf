#include "crawler/admission.h"

#include <algorithm>

namespace provarc {

int64_t discovery_limit(int64_t page_budget) {
  constexpr int64_t kPerPage = 20;
  constexpr int64_t kMax = 1000000;
  return std::min(kMax, std::max<int64_t>(1000, page_budget * kPerPage));
}

SiteAdmission::SiteAdmission(CrawlStore& store, const RobotsCache& robots,
                             const SiteConfig& site, std::string user_agent)
    : store_(store), robots_(robots), site_(site), user_agent_(std::move(user_agent)) {}

void SiteAdmission::begin_run(bool resumed, std::string run_started, int64_t limit) {
  resumed_ = resumed;
  run_started_ = std::move(run_started);
  limit_ = limit;
}

std::string SiteAdmission::take_cap_warning() { return std::exchange(cap_warning_, ""); }

// `last_fetched` is a store time ("" for never). Every fetch of this run started at or after
// run_started_, and no fetch of an earlier run did; a time ahead of the clock (an imported
// capture) is not this run's either.
bool SiteAdmission::fetched_in_this_run(const std::string& last_fetched, WallTime now) const {
  return !last_fetched.empty() && last_fetched >= run_started_ &&
         last_fetched <= format_utc(now);
}

Result<SiteAdmission::Outcome> SiteAdmission::offer(const Discovered& found, WallTime now) {
  Outcome out;
  if (admitted_ >= limit_) {
    if (!capped_) {
      capped_ = true;
      cap_warning_ = site_.id + ": " + std::to_string(limit_) +
                     " URLs queued in this run; no more are followed (a link trap?)";
    }
    out.capped = true;
    return out;
  }
  auto entered = store_.enqueue(found.entry, /*revisit=*/false);
  if (!entered.ok()) return entered.failure();
  out.is_new = out.queued = entered->added;
  out.respelled = entered->respelled;
  out.id = entered->id;
  out.url = entered->url;
  out.state = entered->state;
  out.unfetched = out.is_new;
  const bool waiting =
      out.state == FrontierState::kQueued || out.state == FrontierState::kInProgress;
  if (out.is_new || (!waiting && (resumed_ || found.revisit == Revisit::kNever))) {
    admitted_ += out.queued;
    return out;
  }
  // Its captures are under the entry's URL, which may be another spelling than the one offered.
  const std::string& url = entered->url;
  auto last = store_.last_fetched(url);
  if (!last.ok()) return last.failure();
  if (waiting) {
    // Queued or in progress, the store ignores a revisit.
    out.unfetched = last->empty();
    return out;
  }
  // Fetched in this run, it is done until the next; refused by robots.txt, it would be refused
  // again.
  if (fetched_in_this_run(*last, now) || robots_.known_disallowed(user_agent_, url)) return out;
  // Done and never fetched: settled without a request (another URL of it was fetched, or a trap
  // guard refused it), which a new pass does not undo.
  if (last->empty() && entered->state == FrontierState::kDone) return out;
  if (found.revisit == Revisit::kWhenStale) {
    auto when = parse_utc(*last);
    bool stale = !when || *when + Millis(site_.crawl.revisit_interval_ms) <= now;
    if (!stale) return out;
  }
  auto queued = store_.enqueue(found.entry, /*revisit=*/true);
  if (!queued.ok()) return queued.failure();
  out.queued = queued->queued;
  admitted_ += out.queued;
  return out;
}

}  // namespace provarc
