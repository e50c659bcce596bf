#include "crawler/site_crawl.h"

#include <algorithm>
#include <set>

#include "crawler/links.h"

namespace provarc {
namespace {

constexpr int kClaimBatch = 200;
constexpr int64_t kClaimLowWater = 50;  // claim more when a site holds fewer in memory
constexpr Millis kQueuedCountRefresh{1000};

}  // namespace

SiteCrawl::SiteCrawl(const SiteConfig& site, std::string user_agent, CrawlStore& store,
                     const RobotsCache& robots, Transport& clock, Log log)
    : identity_(site),
      discovery_(site, identity_),
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
  auto learned = store_.learned_sessions(config().id);
  if (!learned.ok()) return learned.failure();
  for (const LearnedSession& session : *learned) identity_.learn(session);
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
  // A claimed entry took a better spelling: it is fetched under it (resolve()).
  if (offered->respelled) respelled_[offered->id] = offered->url;
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
  progress.finished = *pending == 0 && listings_cut_.empty();
  if (!listings_cut_.empty()) stop("a listing was cut short by the " + listings_cut_ + " guard");
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
                                  int hops, int64_t capture_id) {
  SiteDiscovery::Redirect redirect = discovery_.redirect_of(item, location, hops);
  if (!redirect.error.empty()) return fail(item, redirect.error);
  if (Status done = store_.mark_done(item.id); !done.ok()) return done;
  if (!redirect.next) return Status::Ok();
  SiteAdmission::Outcome offered;
  if (Status s = offer(*redirect.next, &offered); !s.ok()) return s;
  if (item.kind == CaptureKind::kPage) {
    // The redirect stands for its target: an alias, of a resource known or new.
    UrlAlias alias{item.url, redirect.next->entry.url, "redirect"};
    if (Status s = store_.record_alias(config().id, alias, capture_id); !s.ok()) return s;
    alias_shapes_.observe(item.url, !offered.is_new && !offered.capped);
    ++progress.aliases;
  }
  // Only a target waiting to be fetched keeps its count: the map stays as small as the queue of
  // redirect targets.
  if (offered.queued) {
    int& known = redirect_hops_[redirect.next->entry.url];
    known = std::max(known, redirect.hops);
  }
  return Status::Ok();
}

Status SiteCrawl::discover_from(const FrontierEntry& item, const Capture& capture,
                                const RecordedCapture& recorded, const PageSignals* page) {
  if (page != nullptr) observe_sessions(item, *page);
  const SiteDiscovery::Links links = discovery_.links_of(item, capture, page);
  if (links.dropped > 0) {
    progress.links_dropped += static_cast<int64_t>(links.dropped);
    log_("warning: " + item.url + ": " + std::to_string(links.dropped) + " links not followed (" +
         std::to_string(kMaxLinksPerDocument) + " are read of one page or sitemap)");
  }
  if (Status s = offer_links(item, links); !s.ok()) return s;
  for (const Discovered& resource :
       discovery_.resources_of(item, recorded.images, recorded.attachments)) {
    if (Status s = offer(resource); !s.ok()) return s;
  }
  return Status::Ok();
}

// The page's links first, then its date steps (a calendar's days: a budget per pattern), then its
// number steps (whose budget depends on whether the page showed new articles), then its
// pagination. Print and mobile twins wait behind the articles they may render, and show nothing
// new.
Status SiteCrawl::offer_links(const FrontierEntry& item, const SiteDiscovery::Links& links) {
  std::vector<const Discovered*> steps;
  std::vector<std::pair<Discovered, std::string>> calendar;
  bool shows_new = false;
  for (const Discovered& link : links.links) {
    const std::string& url = link.entry.url;
    if (discovery_.role_of_url(url) != PageRole::kListing) {
      if (auto step = date_step(item.url, url)) {
        Discovered day = link;
        day.article = false;  // a calendar's page, by the same evidence (calendar_step_of())
        day.entry.priority = std::min(day.entry.priority, kPriorityOther);
        calendar.emplace_back(std::move(day), step->pattern);
        continue;
      }
    }
    if (number_step(item.url, url) && !discovery_.article_by_pattern(url)) {
      steps.push_back(&link);
      continue;
    }
    const bool twin = link.article && !twin_marker(url).empty();
    Discovered later = link;
    if (twin) later.entry.priority = std::min(later.entry.priority, kPriorityOther);
    SiteAdmission::Outcome offered;
    if (Status s = offer_link(item, later, true, &offered); !s.ok()) return s;
    // An article the archive has not fetched yet, whichever page linked it first.
    shows_new = shows_new || (link.article && !twin && offered.unfetched);
  }
  for (const auto& [day, pattern] : calendar) {
    if (!calendar_steps_.has_budget(pattern)) {
      refuse(kGuardCalendar, day.entry.url, false, shows_new);
      continue;
    }
    SiteAdmission::Outcome offered;
    if (Status s = offer_link(item, day, true, &offered); !s.ok()) return s;
    if (offered.is_new) calendar_steps_.spend(pattern);
  }
  for (const Discovered* link : steps) {
    if (Status s = offer_link(item, *link, shows_new, nullptr); !s.ok()) return s;
  }
  // A page past a listing's end that shows its last page again ends the listing: its next pages
  // are refused (not a listing cut short: the listing showed all it has).
  std::set<std::string> articles;
  for (const Discovered& link : links.links) {
    if (link.article) articles.insert(link.entry.url);
  }
  const std::string repeats = repeats_listing(item, articles);
  if (!repeats.empty() && !links.pagination.empty()) {
    log_("info: " + config().id + ": " + repeats + "; its next pages are not followed (the " +
         kGuardRepeatedListing + " guard)");
  }
  for (Discovered page : links.pagination) {
    if (!repeats.empty()) {
      refuse(kGuardRepeatedListing, page.entry.url, true, false);
      continue;
    }
    page.revisit = SiteDiscovery::pagination_revisit(shows_new);
    if (Status s = offer_link(item, page, shows_new, nullptr); !s.ok()) return s;
  }
  if (discovery_.role_of_url(item.url) == PageRole::kListing) {
    listing_articles_.remember(item.url, std::move(articles));
  }
  for (const SiteDiscovery::Refused& refused : links.refused) {
    refuse(refused.guard, refused.url, refused.pagination, shows_new);
  }
  return Status::Ok();
}

Status SiteCrawl::offer_link(const FrontierEntry& item, const Discovered& link, bool shows_new,
                             SiteAdmission::Outcome* outcome) {
  const std::string& url = link.entry.url;
  const bool pagination = discovery_.role_of_url(url) == PageRole::kListing;
  const bool seed = discovery_.role_of_url(url) == PageRole::kSeed;
  if (!pagination && !seed && alias_shapes_.refuses(url)) {
    refuse(kGuardAliasShape, url, false, shows_new);
    return Status::Ok();
  }
  std::optional<NumberStep> step;
  if (!shows_new && !seed && !discovery_.article_by_pattern(url)) step = number_step(item.url, url);
  if (step && !steps_.has_budget(step->pattern)) {
    refuse(kGuardStep, url, pagination, shows_new);
    return Status::Ok();
  }
  SiteAdmission::Outcome offered;
  if (Status s = offer(link, &offered); !s.ok()) return s;
  if (offered.capped) refuse(kGuardDiscoveryCap, url, pagination, shows_new);
  if (step && offered.is_new) steps_.spend(step->pattern);
  if (outcome != nullptr) *outcome = offered;
  return Status::Ok();
}

// Counts `url` refused by `guard`; a listing's pagination refused on a page that showed new
// articles cuts the listing short, and the site is then not finished.
void SiteCrawl::refuse(const std::string& guard, const std::string& url, bool pagination,
                       bool shows_new) {
  refusals_.count(guard, url, progress.refused);
  if (pagination && shows_new && listings_cut_.empty()) {
    listings_cut_ = guard;
    log_("warning: " + config().id + ": the " + guard + " guard refused " + url +
         ", the next page of a listing that still showed new articles");
  }
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
  const std::string content_type = header_value(capture.response_headers, "Content-Type");
  if (item.kind == CaptureKind::kPage && is_html(content_type, capture.body)) {
    reading.page = read_page(capture.body, content_type, capture.url);
  }
  return reading;
}

Status SiteCrawl::settle(const FrontierEntry& item, const Disposition& d, Millis wait,
                         Capture capture, Reading* reading) {
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
  const PageSignals* page = reading->page ? &*reading->page : nullptr;
  if (page != nullptr) remember_print(item.url, page->fingerprint);
  const PageIdentity as = identify(item, page);
  bool article = d.parse_as_article && as.alias_of.empty();
  if (article && as.stands_for.empty() && page != nullptr) {
    if (auto step = calendar_step_of(item.url, *page)) {
      article = false;
      if (calendars_noted_.insert(step->pattern).second) {
        log_("note: " + config().id + ": " + item.url + " is a calendar page, not an article: " +
             "it links the " + step->unit + " " + step->to + " of its date " + step->from + " (" +
             step->pattern + ")");
      }
    }
  }
  CrawlStore::Hints hints;
  if (article) hints.twin_marker = twin_marker(item.url);
  if (!as.stands_for.empty()) {
    capture.requested_url = capture.url;
    capture.url = as.stands_for;
    article = d.parse_as_article && discovery_.role_of_url(as.stands_for) == PageRole::kArticle;
  }
  // What was extracted ahead read the page as fetched: filed under another URL (the URL is part
  // of the article) or no longer an article, the store extracts again.
  std::unique_ptr<CrawlStore::Extraction> extraction = std::move(reading->extraction);
  if (!as.stands_for.empty() || article != d.parse_as_article) extraction.reset();
  return store_.atomically([&]() -> Status {
    auto recorded = store_.record_extracted(capture, article, std::move(extraction), hints);
    if (!recorded.ok()) return recorded.failure();
    count(*recorded, d);
    if (Status s = record_identity(item, as, recorded->capture_id); !s.ok()) return s;
    if (!recorded->same_as.empty()) {
      ++progress.aliases;
      alias_shapes_.observe(item.url, true);
    } else if (d.kind == Disposition::Kind::kDiscover && as.alias_of.empty() &&
               item.kind == CaptureKind::kPage) {
      alias_shapes_.observe(item.url, false);
    }
    switch (d.kind) {
      case Disposition::Kind::kRetry: return retry(item, d.reason, wait);
      case Disposition::Kind::kFail: return fail(item, d.reason);
      case Disposition::Kind::kRedirect:
        return follow_redirect(item, d.redirect, hops, recorded->capture_id);
      case Disposition::Kind::kDiscover:
        if (Status s = discover_from(item, capture, *recorded, page); !s.ok()) {
          return s;
        }
        break;
      case Disposition::Kind::kDone: break;
    }
    return store_.mark_done(item.id);  // 2xx, 304, and 4xx: the server's answer is the record
  });
}

std::optional<DateStep> SiteCrawl::calendar_step_of(const std::string& url,
                                                    const PageSignals& page) const {
  if (!carries_date(url)) return std::nullopt;  // most article URLs: no link is read again
  for (const std::string& raw : page.links) {
    auto link = identity_.canonicalize(raw);
    if (!link.ok()) continue;
    if (auto step = date_step(url, *link)) return step;
  }
  return std::nullopt;
}

}  // namespace provarc
