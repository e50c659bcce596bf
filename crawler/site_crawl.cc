#include "crawler/site_crawl.h"

#include <algorithm>

#include "crawler/links.h"

namespace provarc {
namespace {

constexpr int kClaimBatch = 200;
constexpr int64_t kClaimLowWater = 50;  // claim more when a site holds fewer in memory
constexpr Millis kQueuedCountRefresh{1000};

}  // namespace

SiteCrawl::SiteCrawl(const SiteConfig& site, std::string user_agent, CrawlStore& store,
                     const RobotsCache& robots, Transport& clock, Log log)
    : discovery_(site),
      user_agent_(std::move(user_agent)),
      store_(store),
      clock_(clock),
      log_(std::move(log)),
      admission_(store, robots, site, user_agent_) {
  progress.site = site.id;
}

Status SiteCrawl::begin(const std::string& run_started, int64_t max_pages) {
  page_budget_ = config().crawl.max_pages;
  if (max_pages >= 0) page_budget_ = std::min(page_budget_, max_pages);
  auto pending = store_.pending_count(config().id);
  if (!pending.ok()) return pending.failure();
  admission_.begin_run(*pending > 0, run_started, discovery_limit(page_budget_));
  for (const std::string& warning : discovery_.seed_warnings()) log_("warning: " + warning);
  for (const Discovered& seed : discovery_.seeds()) {
    if (Status s = offer(seed); !s.ok()) return s;
  }
  return admission_.resumed() ? Status::Ok() : queue_stale_articles();
}

// A new pass revalidates (with conditional GETs) the site's known articles fetched longer than
// its revisit interval ago, whether or not a listing still links them (discovery.h).
Status SiteCrawl::queue_stale_articles() {
  constexpr int kBatch = 500;
  const std::string before =
      format_utc(clock_.wall_now() - Millis(config().crawl.revisit_interval_ms));
  int64_t after_id = 0;
  while (true) {
    auto stale = store_.stale_pages(config().id, before, after_id, kBatch);
    if (!stale.ok()) return stale.failure();
    if (stale->empty()) return Status::Ok();
    for (const FrontierEntry& page : *stale) {
      after_id = page.id;
      if (auto found = discovery_.stale_article(page)) {
        if (Status s = offer(*found); !s.ok()) return s;
      }
    }
  }
}

Status SiteCrawl::offer(const Discovered& found, SiteAdmission::Outcome* outcome) {
  auto offered = admission_.offer(found, clock_.wall_now());
  if (!offered.ok()) return offered.failure();
  if (std::string warning = admission_.take_cap_warning(); !warning.empty()) {
    log_("warning: " + warning);
  }
  if (offered->queued) claim_dirty_ = true;
  if (outcome != nullptr) *outcome = *offered;
  return Status::Ok();
}

bool SiteCrawl::claim_due() const {
  return stop_reason_.empty() && claim_dirty_ && in_memory < kClaimLowWater;
}

Result<std::vector<FrontierEntry>> SiteCrawl::claim(SteadyTime now, Millis retry_horizon) {
  std::vector<FrontierEntry> claimed;
  if (!stop_reason_.empty()) return claimed;
  // Retries of this run that are now due make the frontier claimable again.
  while (!retries_due_.empty() && *retries_due_.begin() <= now) {
    retries_due_.erase(retries_due_.begin());
    claim_dirty_ = true;
  }
  if (claim_due()) {
    auto items = store_.claim(config().id, format_utc(clock_.wall_now()), kClaimBatch);
    if (!items.ok()) return items.failure();
    // A full batch may have left more behind; a partial one took everything due.
    claim_dirty_ = static_cast<int>(items->size()) == kClaimBatch;
    claimed = std::move(*items);
  }
  // Nothing left to claim and no retry due within reach: once its claimed items are done, the
  // site has no more work in this run.
  bool retry_soon = !retries_due_.empty() && *retries_due_.begin() <= now + retry_horizon;
  exhausted_ = !claim_dirty_ && !retry_soon;
  return claimed;
}

std::optional<SteadyTime> SiteCrawl::next_retry() const {
  if (retries_due_.empty()) return std::nullopt;
  return *retries_due_.begin();
}

Status SiteCrawl::count_queued(SteadyTime now, bool force) {
  if (!force && now - queued_counted_ < kQueuedCountRefresh) return Status::Ok();
  queued_counted_ = now;
  auto pending = store_.pending_count(config().id);
  if (!pending.ok()) return pending.failure();
  progress.queued = *pending;
  return Status::Ok();
}

Status SiteCrawl::finish() {
  auto pending = store_.pending_count(config().id);
  if (!pending.ok()) return pending.failure();
  progress.finished = *pending == 0;
  if (!progress.finished) stop("retries left for a later run");
  progress.stop_reason = progress.finished ? "" : stop_reason_;
  return Status::Ok();
}

bool SiteCrawl::refuses(const FrontierEntry& item) {
  if (!stop_reason_.empty()) return true;
  if (item.kind != CaptureKind::kPage || progress.pages < page_budget_) return false;
  stop("page budget");
  return true;
}

FetchRequest SiteCrawl::request_for(const FrontierEntry& item) {
  const CrawlRules& rules = config().crawl;
  FetchRequest request = request_with_rules(item.url, user_agent_, rules);
  bool resource = item.kind == CaptureKind::kImage || item.kind == CaptureKind::kAttachment;
  if (resource) request.max_body_bytes = rules.max_attachment_bytes;
  // A sitemap over the cap is read as far as it fits (sitemaps.org allows 50 MB).
  request.keep_truncated_body = item.kind == CaptureKind::kSitemap;
  // Conditional GETs only where the body is not needed for discovery: articles and resources.
  if (resource || discovery_.is_article(item)) {
    auto validators = store_.validators(item.url);
    if (validators.ok() && !validators->etag.empty()) {
      request.extra_headers.push_back({"If-None-Match", validators->etag});
    }
    if (validators.ok() && !validators->last_modified.empty()) {
      request.extra_headers.push_back({"If-Modified-Since", validators->last_modified});
    }
  }
  return request;
}

Status SiteCrawl::fail(const FrontierEntry& item, const std::string& error) {
  ++progress.failed;
  log_("error: " + item.url + ": " + error);
  return store_.mark_failed(item.id, error);
}

Status SiteCrawl::retry(const FrontierEntry& item, const std::string& reason, Millis wait) {
  if (auto error = retries_exhausted(item, config().crawl.max_retries, reason)) {
    return fail(item, *error);
  }
  ++progress.retries;
  // The wall-clock due time is taken first and truncated to milliseconds by the store's format;
  // the margin makes sure the claim at the steady-clock due time finds the item due.
  std::string not_before = format_utc(clock_.wall_now() + wait);
  retries_due_.insert(clock_.now() + wait + Millis(5));
  return store_.retry_at(item.id, not_before, reason);
}

// `hops` counts the redirects that led to `item` (see redirect_hops_).
Status SiteCrawl::follow_redirect(const FrontierEntry& item, const std::string& location,
                                  int hops) {
  SiteDiscovery::Redirect redirect = discovery_.redirect_of(item, location, hops);
  if (!redirect.error.empty()) return fail(item, redirect.error);
  if (Status done = store_.mark_done(item.id); !done.ok()) return done;
  if (!redirect.next) return Status::Ok();
  SiteAdmission::Outcome offered;
  if (Status s = offer(*redirect.next, &offered); !s.ok()) return s;
  // Only a target waiting to be fetched keeps its count: the map stays as small as the queue of
  // redirect targets.
  if (offered.queued) {
    int& known = redirect_hops_[redirect.next->entry.url];
    known = std::max(known, redirect.hops);
  }
  return Status::Ok();
}

Status SiteCrawl::discover_from(const FrontierEntry& item, const SiteDiscovery::Links& links,
                                const RecordedCapture& recorded) {
  if (links.dropped > 0) {
    progress.links_dropped += static_cast<int64_t>(links.dropped);
    log_("warning: " + item.url + ": " + std::to_string(links.dropped) + " links not followed (" +
         std::to_string(kMaxLinksPerDocument) + " are read of one page or sitemap)");
  }
  bool shows_new_articles = false;
  for (const Discovered& link : links.links) {
    SiteAdmission::Outcome offered;
    if (Status s = offer(link, &offered); !s.ok()) return s;
    shows_new_articles = shows_new_articles || (offered.is_new && link.article);
  }
  for (Discovered page : links.pagination) {
    page.revisit = SiteDiscovery::pagination_revisit(shows_new_articles);
    if (Status s = offer(page); !s.ok()) return s;
  }
  for (const Discovered& resource :
       discovery_.resources_of(item, recorded.images, recorded.attachments)) {
    if (Status s = offer(resource); !s.ok()) return s;
  }
  return Status::Ok();
}

void SiteCrawl::count(const RecordedCapture& recorded, const Disposition& d) {
  switch (recorded.change) {
    case ArticleChange::kNew: ++progress.new_articles; break;
    case ArticleChange::kChanged: ++progress.changed; break;
    case ArticleChange::kUnchanged: ++progress.unchanged; break;
    case ArticleChange::kFailed: ++progress.parse_failures; break;
    case ArticleChange::kNone: break;
  }
  if (recorded.gone) ++progress.gone;
  if (d.not_modified) ++progress.not_modified;
}

SiteCrawl::Reading SiteCrawl::read(const FrontierEntry& item, const Disposition& d,
                                   const Capture& capture) const {
  Reading reading;
  if (d.kind != Disposition::Kind::kDiscover) return reading;
  reading.extraction = store_.extract(capture, d.parse_as_article);
  reading.links = discovery_.links_of(item, capture);
  return reading;
}

Status SiteCrawl::settle(const FrontierEntry& item, const Disposition& d, Millis wait,
                         const Capture& capture, Reading* reading) {
  Reading read_here;
  if (reading == nullptr) {
    read_here = read(item, d, capture);
    reading = &read_here;
  }
  int hops = 0;
  if (auto known = redirect_hops_.find(item.url); known != redirect_hops_.end()) {
    hops = known->second;
    redirect_hops_.erase(known);
  }
  return store_.atomically([&]() -> Status {
    auto recorded =
        store_.record_extracted(capture, d.parse_as_article, std::move(reading->extraction));
    if (!recorded.ok()) return recorded.failure();
    count(*recorded, d);
    switch (d.kind) {
      case Disposition::Kind::kRetry: return retry(item, d.reason, wait);
      case Disposition::Kind::kFail: return fail(item, d.reason);
      case Disposition::Kind::kRedirect: return follow_redirect(item, d.redirect, hops);
      case Disposition::Kind::kDiscover:
        if (Status s = discover_from(item, reading->links, *recorded); !s.ok()) return s;
        break;
      case Disposition::Kind::kDone: break;
    }
    return store_.mark_done(item.id);  // 2xx, 304, and 4xx: the server's answer is the record
  });
}

}  // namespace provarc
