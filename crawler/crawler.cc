#include "crawler/crawler.h"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "common/url.h"
#include "crawler/fetcher.h"
#include "crawler/http_time.h"
#include "crawler/links.h"
#include "crawler/politeness.h"
#include "crawler/robots.h"
#include "crawler/scope.h"
#include "crawler/url_canon.h"

namespace provarc {

std::string crawler_user_agent(const std::string& contact_url) {
  std::string agent = std::string(kRobotsProductToken) + "/" + PROVARC_VERSION;
  if (!contact_url.empty()) agent += " (+" + contact_url + ")";
  return agent;
}

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kClaimBatch = 200;
constexpr int64_t kClaimLowWater = 50;        // claim more when a site holds fewer in memory
constexpr int kMaxRedirectHops = 5;           // a chain longer than this is given up
constexpr int kMaxRobotsRedirects = 5;        // RFC 9309 2.3.1.2
constexpr Millis kRobotsLifetime = std::chrono::hours(24);  // RFC 9309 2.4
constexpr int64_t kRobotsMaxBytes = RobotsTxt::kMaxBytes + 1;  // the parser reads no more
constexpr Millis kMaxLoopWait{250};
constexpr Millis kPendingCountRefresh{1000};
// URLs a site may discover in one run: 20 per page of its budget, at most a million. Beyond that
// a site is generating links (a trap or hostile), and memory and the frontier must stay bounded.
constexpr int64_t kDiscoveriesPerPage = 20;
constexpr int64_t kMaxDiscoveries = 1000000;

// Claim priorities (higher first): seeds and sitemaps feed discovery; an article's images and
// attachments complete its record before more articles are fetched.
constexpr int kPrioritySeed = 50;
constexpr int kPrioritySitemap = 45;
constexpr int kPriorityListing = 40;
constexpr int kPriorityResource = 35;
constexpr int kPriorityArticle = 30;
constexpr int kPriorityOther = 10;

int priority_of(PageRole role) {
  switch (role) {
    case PageRole::kSeed: return kPrioritySeed;
    case PageRole::kListing: return kPriorityListing;
    case PageRole::kArticle: return kPriorityArticle;
    case PageRole::kOther: return kPriorityOther;
  }
  return kPriorityOther;
}

std::string wall_now_utc() { return format_utc_ms(std::chrono::system_clock::now()); }

std::string utc_after(Millis wait) {
  return format_utc_ms(std::chrono::system_clock::now() + wait);
}

// The time a run starts, as the store writes times (to the millisecond). It first waits for the
// clock to enter a new millisecond, so that whatever an earlier run fetched is strictly older:
// "fetched at or after the start" then means "fetched by this run".
std::string start_of_run_utc() {
  const std::string now = wall_now_utc();
  std::string next = wall_now_utc();
  while (next == now) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    next = wall_now_utc();
  }
  return next;
}

// When a URL completed in an earlier pass is queued again in this one.
enum class Revisit {
  kEveryPass,  // seeds, sitemaps, and listing pages linked from a page that showed new articles
  kWhenStale,  // once its last fetch is older than the site's revisit interval
  kNever,      // listing pages linked from a page that showed no new article (see discover_links)
};

// A claimed item waiting in its host's queue.
struct Task {
  CrawlItem item;
  size_t site = 0;  // index into Crawl::sites_
};

// robots.txt of one origin (scheme://host:port).
struct OriginRobots {
  enum class State { kUnknown, kFetching, kReady, kUnreachable };
  State state = State::kUnknown;
  RobotsTxt rules = RobotsTxt::allow_all();
  SteadyTime expires{};
};

// A robots.txt request waiting for its host: `url` may be a redirect target on another host.
struct RobotsFetch {
  std::string origin;  // whose rules these are
  std::string url;
  int redirects = 0;
  size_t site = 0;     // the site whose item needed it (captures are recorded under it)
};

// One authority: its politeness, its queue of claimed items and the robots.txt of its origins.
struct Host {
  explicit Host(const PolitenessRules& rules) : politeness(rules) {}
  std::string authority;
  HostPoliteness politeness;
  std::deque<RobotsFetch> robots_fetches;  // go before items
  std::deque<Task> queue;
  std::map<std::string, OriginRobots> robots;  // by origin
  bool waiting_for_robots = false;  // its next item waits for a robots.txt fetched elsewhere
  bool abandoned = false;
};

// One configured site's state in this run.
struct Site {
  explicit Site(const SiteConfig& c) : config(&c), scope(c) {}
  const SiteConfig* config;
  SiteScope scope;
  std::string user_agent;
  SiteProgress progress;
  std::unordered_set<std::string> seeds;       // canonical start and listing URLs
  // Redirect targets waiting to be fetched -> redirects that led to them (taken when fetched).
  std::unordered_map<std::string, int> redirect_hops;
  bool resumed = false;     // continuing a pass an earlier run left unfinished
  int64_t page_budget = 0;
  int64_t discovered = 0;       // URLs this run added to the frontier or queued again
  int64_t discovery_limit = 0;  // the most `discovered` may reach
  bool discovery_capped = false;  // the limit was reached (and logged)
  std::string stop_reason;  // set when the site stops early
  bool claim_dirty = true;  // something may be claimable that was not at the last claim
  bool exhausted = false;   // at the last claim nothing was left and no retry was due soon
  std::multiset<SteadyTime> retries_due;  // this run's retries, by when they are due
  int64_t in_memory = 0;    // claimed items held in host queues
  int64_t in_flight = 0;
  SteadyTime pending_checked{};  // when progress.queued was last read from the store
};

// What a transfer in flight is for.
struct InFlight {
  bool robots = false;
  Task task;            // when !robots
  RobotsFetch fetch;    // when robots
  std::string authority;
  std::string fetched_at;
};

class Crawl {
 public:
  Crawl(const std::vector<SiteConfig>& configs, CrawlStore& store, const CrawlOptions& options)
      : store_(store), options_(options) {
    for (const SiteConfig& c : configs) sites_.push_back(std::make_unique<Site>(c));
  }

  Result<CrawlSummary> run();

 private:
  Status prepare();
  Status seed(Site& site);
  bool claim_due(const Site& site) const;
  Status claim(Site& site, size_t index, SteadyTime now);
  Status start_ready(Host& host, SteadyTime now);
  void start_robots(Host& host, SteadyTime now);
  void start_item(Host& host, Task task, SteadyTime now);
  Status handle(FetchResult result);
  Status handle_robots(InFlight& flight, FetchResult& result, Host& host);
  Status handle_item(InFlight& flight, FetchResult& result, Host& host);
  Status retry_or_fail(Site& site, const CrawlItem& item, const std::string& error, Millis wait);
  Status fail_item(Site& site, const CrawlItem& item, const std::string& error);
  Status follow_redirect(Site& site, const CrawlItem& item, const Capture& capture, int hops);
  Status discover_links(Site& site, const CrawlItem& item, const Capture& capture);
  Status discover_resources(Site& site, const CrawlItem& item, const RecordedCapture& recorded);
  Status discover_page(Site& site, const std::string& raw_url, int depth,
                       const std::string& parent, CaptureKind kind);
  Status discover(Site& site, CrawlItem item, Revisit revisit, bool* added = nullptr);
  bool fetched_in_this_run(const std::string& last_fetched) const;
  bool known_disallowed(const Site& site, const std::string& url) const;
  Status queue_stale_articles(Site& site);
  Status apply_robots(Host& host, const std::string& origin, RobotsTxt rules);
  void abandon(Host& host, const std::string& why);
  void mark_robots_unreachable(const std::string& origin);
  bool site_done(const Site& site) const;
  void stop_site(Site& site, const std::string& reason);
  Status report_progress(bool final_report);
  Millis loop_wait(SteadyTime now) const;
  Host& host_for(const std::string& authority);
  void use_host(const Site& site, Host& host);
  void log(const std::string& line) const {
    if (options_.on_log) options_.on_log(line);
  }
  std::optional<PageRole> role_of(const Site& site, const CrawlItem& item) const;

  CrawlStore& store_;
  const CrawlOptions& options_;
  std::vector<std::unique_ptr<Site>> sites_;
  std::map<std::string, std::unique_ptr<Host>> hosts_;  // by authority
  std::unordered_map<uint64_t, InFlight> in_flight_;
  std::unique_ptr<Fetcher> fetcher_;
  uint64_t next_token_ = 1;
  bool stopping_ = false;
  CrawlSummary summary_;
  SteadyTime started_{};
  std::string run_started_utc_;  // the store's time format; see start_of_run_utc
  SteadyTime last_progress_{};
};

Host& Crawl::host_for(const std::string& authority) {
  auto it = hosts_.find(authority);
  if (it != hosts_.end()) return *it->second;
  PolitenessRules rules;
  rules.delay = Millis(0);  // raised by every site that uses the host (see use_host)
  rules.max_crawl_delay = Millis(0);
  rules.max_backoff = options_.max_backoff;
  rules.pause_after_failures = options_.pause_after_failures;
  rules.give_up_after_failures = options_.give_up_after_failures;
  auto host = std::make_unique<Host>(rules);
  host->authority = authority;
  Host& ref = *host;
  hosts_.emplace(authority, std::move(host));
  return ref;
}

// `site` fetches from `host`: its delay and Crawl-delay cap apply there.
void Crawl::use_host(const Site& site, Host& host) {
  host.politeness.add_site_rules(Millis(site.config->crawl.delay_ms),
                                 Millis(site.config->crawl.max_crawl_delay_ms));
}

std::optional<PageRole> Crawl::role_of(const Site& site, const CrawlItem& item) const {
  if (item.kind != CaptureKind::kPage) return std::nullopt;
  if (site.seeds.count(item.url)) return PageRole::kSeed;
  return site.scope.role_of(item.url);
}

Status Crawl::prepare() {
  auto fetcher = Fetcher::create();
  if (!fetcher.ok()) return fetcher.failure();
  fetcher_ = std::move(*fetcher);
  // Items a killed run left in progress go back to the queue before anything is counted.
  auto requeued = store_.requeue_in_progress();
  if (!requeued.ok()) return requeued.failure();
  for (size_t i = 0; i < sites_.size(); ++i) {
    Site& site = *sites_[i];
    const CrawlRules& rules = site.config->crawl;
    site.progress.site = site.config->id;
    site.user_agent = crawler_user_agent(site.config->contact_url);
    site.page_budget = rules.max_pages;
    if (options_.max_pages >= 0) site.page_budget = std::min(site.page_budget, options_.max_pages);
    site.discovery_limit =
        std::min(kMaxDiscoveries, std::max<int64_t>(1000, site.page_budget * kDiscoveriesPerPage));
    if (!rules.verify_tls) {
      log("warning: " + site.config->id + ": TLS certificates are not verified (verify_tls = false)");
    }
    for (const std::string& authority : site.scope.hosts()) {
      use_host(site, host_for(authority));
    }
    Status seeded = seed(site);
    if (!seeded.ok()) return seeded;
  }
  return Status::Ok();
}

// Queues the start and listing URLs: again at each new pass, only if new when resuming one.
Status Crawl::seed(Site& site) {
  auto pending = store_.pending_count(site.config->id);
  if (!pending.ok()) return pending.failure();
  site.resumed = *pending > 0;
  std::vector<std::string> seeds = site.config->start_urls;
  seeds.insert(seeds.end(), site.config->crawl.listing_urls.begin(),
               site.config->crawl.listing_urls.end());
  for (const std::string& raw : seeds) {
    auto url = site.scope.canonicalize(raw);
    if (!url.ok()) {
      log("warning: " + site.config->id + ": start URL skipped: " + url.error());
      continue;
    }
    site.seeds.insert(*url);
    auto authority = url_authority(*url);
    if (authority.ok()) use_host(site, host_for(*authority));
    CrawlItem item;
    item.site = site.config->id;
    item.url = *url;
    item.priority = kPrioritySeed;
    Status s = discover(site, item, Revisit::kEveryPass);
    if (!s.ok()) return s;
  }
  return site.resumed ? Status::Ok() : queue_stale_articles(site);
}

// A new pass revalidates (with conditional GETs) the site's known articles fetched longer than
// its revisit interval ago, whether or not a listing still links them: a listing is paged only
// while it shows new articles, and a removed article is linked from nowhere, yet must be seen
// answering 404 or 410 to be marked gone.
Status Crawl::queue_stale_articles(Site& site) {
  constexpr int kBatch = 500;
  const std::string before = utc_after(-Millis(site.config->crawl.revisit_interval_ms));
  int64_t after_id = 0;
  while (true) {
    auto stale = store_.stale_pages(site.config->id, before, after_id, kBatch);
    if (!stale.ok()) return stale.failure();
    if (stale->empty()) return Status::Ok();
    for (CrawlItem& item : *stale) {
      after_id = item.id;
      if (site.seeds.count(item.url) || site.scope.role_of(item.url) != PageRole::kArticle) {
        continue;
      }
      item.id = 0;
      item.priority = kPriorityArticle;
      item.not_before.clear();
      Status s = discover(site, std::move(item), Revisit::kEveryPass);
      if (!s.ok()) return s;
    }
  }
}

// Adds `item` to the frontier; `*added` (when given) tells whether the URL was new to the
// frontier. A URL the frontier knows is queued again as `revisit` says, at most once per run and
// never while resuming a pass (whose completed URLs stay completed). The frontier remembers the
// URLs, through the store's unique (site, URL) key, not the crawler: a site of a million URLs
// costs no memory here (see fetched_in_this_run).
Status Crawl::discover(Site& site, CrawlItem item, Revisit revisit, bool* added) {
  if (site.discovered >= site.discovery_limit) {
    if (!site.discovery_capped) {
      site.discovery_capped = true;
      log("warning: " + site.config->id + ": " + std::to_string(site.discovery_limit) +
          " URLs queued in this run; no more are followed (a link trap?)");
    }
    return Status::Ok();
  }
  auto is_new = store_.enqueue(item, /*revisit=*/false);
  if (!is_new.ok()) return is_new.failure();
  if (added != nullptr) *added = *is_new;
  if (*is_new) {
    ++site.discovered;
    site.claim_dirty = true;
    return Status::Ok();
  }
  if (site.resumed || revisit == Revisit::kNever) return Status::Ok();
  // Queued or in progress, the store ignores a revisit; fetched in this run, it is done until the
  // next; refused by robots.txt, it would be refused again.
  auto last = store_.last_fetched(item.url);
  if (!last.ok()) return last.failure();
  if (fetched_in_this_run(*last) || known_disallowed(site, item.url)) return Status::Ok();
  if (revisit == Revisit::kWhenStale) {
    auto when = parse_utc_ms(*last);
    bool stale = !when || *when + Millis(site.config->crawl.revisit_interval_ms) <=
                              std::chrono::system_clock::now();
    if (!stale) return Status::Ok();
  }
  auto queued = store_.enqueue(item, /*revisit=*/true);
  if (!queued.ok()) return queued.failure();
  if (*queued) {
    ++site.discovered;
    site.claim_dirty = true;
  }
  return Status::Ok();
}

// `last_fetched` is a store time ("" for never). Every fetch of this run started at or after
// run_started_utc_, and no fetch of an earlier run did (see start_of_run_utc); a time ahead of
// the clock (an imported capture) is not this run's either.
bool Crawl::fetched_in_this_run(const std::string& last_fetched) const {
  return !last_fetched.empty() && last_fetched >= run_started_utc_ &&
         last_fetched <= wall_now_utc();
}

// True when the robots.txt already read for `url`'s origin forbids it to `site`'s agent.
bool Crawl::known_disallowed(const Site& site, const std::string& url) const {
  auto authority = url_authority(url);
  auto origin = url_origin(url);
  if (!authority.ok() || !origin.ok()) return false;
  auto host = hosts_.find(*authority);
  if (host == hosts_.end()) return false;
  auto robots = host->second->robots.find(*origin);
  if (robots == host->second->robots.end()) return false;
  if (robots->second.state != OriginRobots::State::kReady) return false;
  return !robots->second.rules.check(site.user_agent, url).allowed;
}

Status Crawl::discover_page(Site& site, const std::string& raw_url, int depth,
                            const std::string& parent, CaptureKind kind) {
  auto url = site.scope.canonicalize(raw_url);
  if (!url.ok()) return Status::Ok();
  if (!site.scope.page_rejection(*url, depth).empty()) return Status::Ok();
  CrawlItem item;
  item.site = site.config->id;
  item.url = *url;
  item.kind = kind;
  item.depth = depth;
  item.parent_url = parent;
  Revisit revisit = Revisit::kEveryPass;
  if (kind == CaptureKind::kSitemap) {
    item.priority = kPrioritySitemap;
  } else {
    PageRole role = site.seeds.count(*url) ? PageRole::kSeed : site.scope.role_of(*url);
    item.priority = priority_of(role);
    if (role == PageRole::kArticle || role == PageRole::kOther) revisit = Revisit::kWhenStale;
  }
  return discover(site, item, revisit);
}

Status Crawl::discover_links(Site& site, const CrawlItem& item, const Capture& capture) {
  if (item.kind == CaptureKind::kSitemap) {
    if (!site.config->crawl.use_sitemaps) return Status::Ok();
    // An ok capture has an error only when its body was cut at the size cap (fetcher.h).
    SitemapUrls urls = parse_sitemap(capture.body, capture.url, !capture.error.empty());
    for (const std::string& url : urls.sitemaps) {
      Status s = discover_page(site, url, item.depth + 1, item.url, CaptureKind::kSitemap);
      if (!s.ok()) return s;
    }
    for (const std::string& url : urls.pages) {
      Status s = discover_page(site, url, item.depth + 1, item.url, CaptureKind::kPage);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }
  std::string content_type = header_value(capture.response_headers, "Content-Type");
  if (item.kind != CaptureKind::kPage || !is_html(content_type, capture.body)) {
    return Status::Ok();
  }
  // Pagination last: a listing is paged through again only while its pages show articles never
  // seen before; past the first page of known ones, the rest is old news (those articles are
  // revalidated on their own, see queue_stale_articles). Pagination never fetched is followed
  // whatever the page showed, so a first pass (or one cut short) still reaches every page.
  std::vector<std::string> pagination;
  bool shows_new_articles = false;
  const int depth = item.depth + 1;
  for (const std::string& raw : extract_links(capture.body, content_type, capture.url)) {
    auto url = site.scope.canonicalize(raw);
    if (!url.ok() || !site.scope.page_rejection(*url, depth).empty()) continue;
    PageRole role = site.seeds.count(*url) ? PageRole::kSeed : site.scope.role_of(*url);
    if (role == PageRole::kListing) {
      pagination.push_back(*url);
      continue;
    }
    CrawlItem link;
    link.site = site.config->id;
    link.url = *url;
    link.depth = depth;
    link.parent_url = item.url;
    link.priority = priority_of(role);
    bool added = false;
    Revisit revisit = role == PageRole::kSeed ? Revisit::kEveryPass : Revisit::kWhenStale;
    Status s = discover(site, std::move(link), revisit, &added);
    if (!s.ok()) return s;
    shows_new_articles = shows_new_articles || (added && role == PageRole::kArticle);
  }
  for (const std::string& url : pagination) {
    CrawlItem link;
    link.site = site.config->id;
    link.url = url;
    link.depth = depth;
    link.parent_url = item.url;
    link.priority = kPriorityListing;
    Status s = discover(site, std::move(link),
                        shows_new_articles ? Revisit::kEveryPass : Revisit::kNever);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Crawl::discover_resources(Site& site, const CrawlItem& item,
                                 const RecordedCapture& recorded) {
  const CrawlRules& rules = site.config->crawl;
  auto add = [&](const std::vector<std::string>& urls, CaptureKind kind) -> Status {
    for (const std::string& raw : urls) {
      auto url = site.scope.canonicalize(raw);
      if (!url.ok() || !site.scope.resource_rejection(*url).empty()) continue;
      CrawlItem resource;
      resource.site = site.config->id;
      resource.url = *url;
      resource.kind = kind;
      resource.parent_url = item.url;
      resource.depth = item.depth;
      resource.priority = kPriorityResource;
      Status s = discover(site, resource, Revisit::kWhenStale);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
  if (rules.fetch_images) {
    Status s = add(recorded.images, CaptureKind::kImage);
    if (!s.ok()) return s;
  }
  if (rules.fetch_attachments) return add(recorded.attachments, CaptureKind::kAttachment);
  return Status::Ok();
}

// True when the next claim() of `site` will ask the store for more items: the site holds few and
// the store may have more.
bool Crawl::claim_due(const Site& site) const {
  return site.stop_reason.empty() && !stopping_ && site.claim_dirty &&
         site.in_memory < kClaimLowWater;
}

Status Crawl::claim(Site& site, size_t index, SteadyTime now) {
  if (!site.stop_reason.empty() || stopping_) return Status::Ok();
  // Retries of this run that are now due make the frontier claimable again.
  while (!site.retries_due.empty() && *site.retries_due.begin() <= now) {
    site.retries_due.erase(site.retries_due.begin());
    site.claim_dirty = true;
  }
  if (claim_due(site)) {
    auto items = store_.claim(site.config->id, wall_now_utc(), kClaimBatch);
    if (!items.ok()) return items.failure();
    // A full batch may have left more behind; a partial one took everything due.
    site.claim_dirty = static_cast<int>(items->size()) == kClaimBatch;
    for (CrawlItem& item : *items) {
      auto authority = url_authority(item.url);
      if (!authority.ok()) {
        Status s = store_.mark_failed(item.id, authority.error());
        if (!s.ok()) return s;
        continue;
      }
      Host& host = host_for(*authority);
      if (host.abandoned) continue;  // stays in progress; released at the end of the run
      use_host(site, host);
      host.queue.push_back(Task{std::move(item), index});
      ++site.in_memory;
    }
  }
  // Nothing left to claim and no retry due within reach: once its claimed items are done, the
  // site has no more work in this run.
  bool retry_soon = !site.retries_due.empty() &&
                    *site.retries_due.begin() <= now + options_.max_retry_wait;
  site.exhausted = !site.claim_dirty && !retry_soon;
  return Status::Ok();
}

// Leaves `host` for the rest of the run, logging `why`; its claimed items go back to the queue at
// the end of the run.
void Crawl::abandon(Host& host, const std::string& why) {
  host.abandoned = true;
  for (Task& task : host.queue) --sites_[task.site]->in_memory;
  host.queue.clear();
  // robots.txt files redirected here cannot be read: their origins count as unreachable.
  for (const RobotsFetch& fetch : host.robots_fetches) mark_robots_unreachable(fetch.origin);
  host.robots_fetches.clear();
  log("error: " + host.authority + ": " + why + "; its URLs are left for a later run");
}

// RFC 9309 2.3.1.4: an unreachable robots.txt means nothing may be fetched; it is asked again
// after the host's backoff.
void Crawl::mark_robots_unreachable(const std::string& origin) {
  auto authority = url_authority(origin);
  if (!authority.ok()) return;
  Host& owner = host_for(*authority);
  OriginRobots& robots = owner.robots[origin];
  robots.state = OriginRobots::State::kUnreachable;
  robots.rules = RobotsTxt::disallow_all();
  owner.politeness.on_transient_failure(Clock::now());
}

void Crawl::start_robots(Host& host, SteadyTime now) {
  RobotsFetch fetch = std::move(host.robots_fetches.front());
  host.robots_fetches.pop_front();
  const Site& site = *sites_[fetch.site];
  FetchRequest request;
  request.token = next_token_++;
  request.url = fetch.url;
  request.user_agent = site.user_agent;
  request.max_body_bytes = kRobotsMaxBytes;
  request.keep_truncated_body = true;  // RFC 9309 2.5: parse what fits, ignore the rest
  request.connect_timeout_ms = site.config->crawl.connect_timeout_ms;
  request.total_timeout_ms = site.config->crawl.total_timeout_ms;
  request.verify_tls = site.config->crawl.verify_tls;
  InFlight flight;
  flight.robots = true;
  flight.fetch = std::move(fetch);
  flight.authority = host.authority;
  flight.fetched_at = wall_now_utc();
  host.politeness.on_start(now);
  ++sites_[flight.fetch.site]->in_flight;
  in_flight_.emplace(request.token, std::move(flight));
  fetcher_->start(request, now);
}

void Crawl::start_item(Host& host, Task task, SteadyTime now) {
  Site& site = *sites_[task.site];
  const CrawlRules& rules = site.config->crawl;
  FetchRequest request;
  request.token = next_token_++;
  request.url = task.item.url;
  request.user_agent = site.user_agent;
  bool resource = task.item.kind == CaptureKind::kImage ||
                  task.item.kind == CaptureKind::kAttachment;
  request.max_body_bytes = resource ? rules.max_attachment_bytes : rules.max_body_bytes;
  request.connect_timeout_ms = rules.connect_timeout_ms;
  request.total_timeout_ms = rules.total_timeout_ms;
  request.verify_tls = rules.verify_tls;
  // A sitemap over the cap is read as far as it fits (sitemaps.org allows 50 MB).
  request.keep_truncated_body = task.item.kind == CaptureKind::kSitemap;
  // Conditional GETs only where the body is not needed for discovery: articles and resources.
  std::optional<PageRole> role = role_of(site, task.item);
  if (resource || role == PageRole::kArticle) {
    auto validators = store_.validators(task.item.url);
    if (validators.ok() && !validators->etag.empty()) {
      request.extra_headers.push_back({"If-None-Match", validators->etag});
    }
    if (validators.ok() && !validators->last_modified.empty()) {
      request.extra_headers.push_back({"If-Modified-Since", validators->last_modified});
    }
  }
  if (task.item.kind == CaptureKind::kPage) ++site.progress.pages;
  InFlight flight;
  flight.task = std::move(task);
  flight.authority = host.authority;
  flight.fetched_at = wall_now_utc();
  host.politeness.on_start(now);
  ++site.in_flight;
  --site.in_memory;
  in_flight_.emplace(request.token, std::move(flight));
  fetcher_->start(request, now);
}

// Starts the next request of `host` if it may start now: robots.txt first, then claimed items
// that robots.txt allows (items it forbids are closed without a request).
Status Crawl::start_ready(Host& host, SteadyTime now) {
  host.waiting_for_robots = false;
  if (host.abandoned) return Status::Ok();
  if (host.politeness.gave_up()) {
    abandon(host, std::to_string(host.politeness.failure_streak()) + " failures in a row");
    return Status::Ok();
  }
  if (!host.politeness.ready(now)) return Status::Ok();
  if (!host.robots_fetches.empty()) {
    start_robots(host, now);
    return Status::Ok();
  }
  while (!host.queue.empty()) {
    Task& task = host.queue.front();
    Site& site = *sites_[task.site];
    if (!site.stop_reason.empty() ||
        (task.item.kind == CaptureKind::kPage && site.progress.pages >= site.page_budget)) {
      if (site.stop_reason.empty()) stop_site(site, "page budget");
      // Left in progress: released to the queue at the end of the run.
      --site.in_memory;
      host.queue.pop_front();
      continue;
    }
    auto origin = url_origin(task.item.url);
    if (!origin.ok()) {
      Status s = fail_item(site, task.item, origin.error());
      --site.in_memory;
      host.queue.pop_front();
      if (!s.ok()) return s;
      continue;
    }
    OriginRobots& robots = host.robots[*origin];
    if (robots.state == OriginRobots::State::kReady && now >= robots.expires) {
      robots.state = OriginRobots::State::kUnknown;  // older than 24 hours: fetch it again
    }
    if (robots.state == OriginRobots::State::kFetching) {
      host.waiting_for_robots = true;  // its robots.txt is being fetched through a redirect
      return Status::Ok();
    }
    if (robots.state != OriginRobots::State::kReady) {
      // Unknown, or unreachable and the backoff is over: (re)fetch robots.txt before anything.
      robots.state = OriginRobots::State::kFetching;
      host.robots_fetches.push_back({*origin, *origin + "/robots.txt", 0, task.site});
      start_robots(host, now);
      return Status::Ok();
    }
    RobotsTxt::Decision decision = robots.rules.check(site.user_agent, task.item.url);
    if (!decision.allowed) {
      ++site.progress.disallowed;
      std::string why = "disallowed by " + *origin + "/robots.txt";
      if (decision.line > 0) why += " line " + std::to_string(decision.line) + " (" + decision.rule + ")";
      Status s = store_.mark_failed(task.item.id, why);
      --site.in_memory;
      host.queue.pop_front();
      if (!s.ok()) return s;
      continue;
    }
    Task next = std::move(task);
    host.queue.pop_front();
    start_item(host, std::move(next), now);
    return Status::Ok();
  }
  return Status::Ok();
}

Status Crawl::apply_robots(Host& host, const std::string& origin, RobotsTxt rules) {
  OriginRobots& robots = host.robots[origin];
  robots.state = OriginRobots::State::kReady;
  robots.expires = Clock::now() + kRobotsLifetime;
  robots.rules = std::move(rules);
  // Crawl-delay is per product token; every site on a host shares the token, so any agent will do.
  std::string agent = crawler_user_agent("");
  host.politeness.set_crawl_delay(robots.rules.crawl_delay_seconds(agent));
  for (size_t i = 0; i < sites_.size(); ++i) {
    Site& site = *sites_[i];
    if (!site.config->crawl.use_sitemaps) continue;
    const auto& hosts = site.scope.hosts();
    if (std::find(hosts.begin(), hosts.end(), host.authority) == hosts.end()) continue;
    for (const std::string& sitemap : robots.rules.sitemaps()) {
      Status s = discover_page(site, sitemap, 0, origin + "/robots.txt", CaptureKind::kSitemap);
      if (!s.ok()) return s;
    }
  }
  return Status::Ok();
}

Status Crawl::handle_robots(InFlight& flight, FetchResult& result, Host& host) {
  Site& site = *sites_[flight.fetch.site];
  Capture& capture = result.capture;
  capture.site = site.config->id;
  capture.kind = CaptureKind::kRobots;
  capture.fetched_at = flight.fetched_at;
  ++site.progress.fetched;
  site.progress.bytes += static_cast<int64_t>(capture.body.size());
  // The rules belong to the origin that asked, wherever a redirect took the request.
  auto origin_host_authority = url_authority(flight.fetch.origin);
  Host& owner = origin_host_authority.ok() ? host_for(*origin_host_authority) : host;
  const std::string& origin = flight.fetch.origin;
  return store_.atomically([&]() -> Status {
    auto recorded = store_.record(capture, false);
    if (!recorded.ok()) return recorded.failure();
    int status = capture.status;
    bool unreachable = capture.outcome == CaptureOutcome::kError || status >= 500 || status == 429;
    if (unreachable) {
      // RFC 9309 2.3.1.4: assume complete disallow, and ask again after a backoff.
      ++site.progress.errors;
      owner.robots[origin].state = OriginRobots::State::kUnreachable;
      owner.robots[origin].rules = RobotsTxt::disallow_all();
      std::string value = header_value(capture.response_headers, "Retry-After");
      auto wait = parse_retry_after(value, std::chrono::system_clock::now());
      if (wait && (status == 429 || status == 503)) {
        owner.politeness.on_retry_after(Clock::now(), *wait);
      } else {
        owner.politeness.on_transient_failure(Clock::now());
      }
      if (result.host_not_found || result.tls_failure) {
        // Neither heals within a run: the backoff would hold the run for half an hour.
        abandon(host, capture.url + ": " + capture.error);
        return Status::Ok();
      }
      log("warning: " + capture.url + ": " +
          (capture.outcome == CaptureOutcome::kError ? capture.error
                                                     : "HTTP " + std::to_string(status)) +
          "; nothing is fetched from " + origin + " until robots.txt answers");
      return Status::Ok();
    }
    host.politeness.on_success();
    if (status >= 300 && status < 400 && !capture.redirect_target.empty()) {
      if (flight.fetch.redirects >= kMaxRobotsRedirects) {
        return apply_robots(owner, origin, RobotsTxt::allow_all());  // RFC 9309 2.3.1.2
      }
      auto target_authority = url_authority(capture.redirect_target);
      if (!target_authority.ok()) return apply_robots(owner, origin, RobotsTxt::allow_all());
      Host& target = host_for(*target_authority);
      if (target.abandoned) {
        mark_robots_unreachable(origin);
        return Status::Ok();
      }
      use_host(site, target);
      target.robots_fetches.push_back(
          {origin, capture.redirect_target, flight.fetch.redirects + 1, flight.fetch.site});
      return Status::Ok();
    }
    if (status >= 200 && status < 300) return apply_robots(owner, origin, RobotsTxt::parse(capture.body));
    return apply_robots(owner, origin, RobotsTxt::allow_all());  // 4xx, or a 3xx without Location
  });
}

Status Crawl::fail_item(Site& site, const CrawlItem& item, const std::string& error) {
  ++site.progress.failed;
  log("error: " + item.url + ": " + error);
  return store_.mark_failed(item.id, error);
}

Status Crawl::retry_or_fail(Site& site, const CrawlItem& item, const std::string& error,
                            Millis wait) {
  if (item.attempts + 1 > site.config->crawl.max_retries) {
    return fail_item(site, item, error + " (gave up after " +
                                     std::to_string(item.attempts + 1) + " attempts)");
  }
  ++site.progress.retries;
  // The wall-clock due time is taken first and truncated to milliseconds by the store's format;
  // the margin makes sure the claim at the steady-clock due time finds the item due.
  std::string not_before = utc_after(wait);
  site.retries_due.insert(Clock::now() + wait + Millis(5));
  return store_.retry_at(item.id, not_before, error);
}

// `hops` counts the redirects that led to `item` (see Site::redirect_hops).
Status Crawl::follow_redirect(Site& site, const CrawlItem& item, const Capture& capture,
                              int hops) {
  auto target = site.scope.canonicalize(capture.redirect_target);
  if (!target.ok()) return fail_item(site, item, "bad redirect: " + target.error());
  if (*target == item.url) return fail_item(site, item, "redirect loop: redirects to itself");
  ++hops;
  if (hops > kMaxRedirectHops) {
    return fail_item(site, item, "more than " + std::to_string(kMaxRedirectHops) + " redirects");
  }
  Status done = store_.mark_done(item.id);
  if (!done.ok()) return done;
  bool resource = item.kind == CaptureKind::kImage || item.kind == CaptureKind::kAttachment;
  std::string rejection = resource ? site.scope.resource_rejection(*target)
                                   : site.scope.page_rejection(*target, item.depth);
  if (!rejection.empty()) return Status::Ok();  // the capture records where it pointed
  CrawlItem next = item;
  next.id = 0;
  next.url = *target;
  next.attempts = 0;
  next.not_before.clear();
  bool every_pass = item.priority >= kPriorityListing && !resource;
  const int64_t queued_before = site.discovered;
  Status s = discover(site, next, every_pass ? Revisit::kEveryPass : Revisit::kWhenStale);
  if (!s.ok()) return s;
  // Only a target waiting to be fetched keeps its count: the map stays as small as the queue of
  // redirect targets.
  if (site.discovered > queued_before) {
    int& known = site.redirect_hops[*target];
    known = std::max(known, hops);
  }
  return Status::Ok();
}

Status Crawl::handle_item(InFlight& flight, FetchResult& result, Host& host) {
  Site& site = *sites_[flight.task.site];
  const CrawlItem& item = flight.task.item;
  Capture& capture = result.capture;
  capture.site = site.config->id;
  capture.kind = item.kind;
  capture.parent_url = item.parent_url;
  capture.fetched_at = flight.fetched_at;
  ++site.progress.fetched;
  site.progress.bytes += static_cast<int64_t>(capture.body.size());
  int redirects_before = 0;
  if (auto hops = site.redirect_hops.find(item.url); hops != site.redirect_hops.end()) {
    redirects_before = hops->second;
    site.redirect_hops.erase(hops);
  }
  int status = capture.status;
  SteadyTime now = Clock::now();
  site.progress.duration_ms = std::chrono::duration_cast<Millis>(now - started_).count();

  if (capture.outcome == CaptureOutcome::kError) {
    ++site.progress.errors;
    return store_.atomically([&]() -> Status {
      auto recorded = store_.record(capture, false);
      if (!recorded.ok()) return recorded.failure();
      if (result.body_too_large || result.tls_failure) return fail_item(site, item, capture.error);
      Millis wait = host.politeness.on_transient_failure(now);
      return retry_or_fail(site, item, capture.error, wait);
    });
  }
  if (status == 429 || status == 503 || status >= 500) {
    ++site.progress.errors;
    return store_.atomically([&]() -> Status {
      auto recorded = store_.record(capture, false);
      if (!recorded.ok()) return recorded.failure();
      std::optional<Millis> wait;
      if (status == 429 || status == 503) {
        wait = parse_retry_after(header_value(capture.response_headers, "Retry-After"),
                                 std::chrono::system_clock::now());
      }
      if (wait) {
        host.politeness.on_retry_after(now, *wait);
      } else {
        wait = host.politeness.on_transient_failure(now);
      }
      if (*wait > options_.max_retry_wait) {
        log("warning: " + host.authority + " asks to wait " + std::to_string(wait->count() / 1000) +
            " s; its URLs are left for a later run");
      }
      return retry_or_fail(site, item, "HTTP " + std::to_string(status), *wait);
    });
  }
  host.politeness.on_success();
  std::optional<PageRole> role = role_of(site, item);
  std::string content_type = header_value(capture.response_headers, "Content-Type");
  bool is_article = role == PageRole::kArticle && status >= 200 && status < 300 &&
                    is_html(content_type, capture.body);
  return store_.atomically([&]() -> Status {
    auto recorded = store_.record(capture, is_article);
    if (!recorded.ok()) return recorded.failure();
    switch (recorded->change) {
      case ArticleChange::kNew: ++site.progress.new_articles; break;
      case ArticleChange::kChanged: ++site.progress.changed; break;
      case ArticleChange::kUnchanged: ++site.progress.unchanged; break;
      case ArticleChange::kFailed: ++site.progress.parse_failures; break;
      case ArticleChange::kNone: break;
    }
    if (recorded->gone) ++site.progress.gone;
    if (status == 304) {
      ++site.progress.not_modified;
      return store_.mark_done(item.id);
    }
    if (status >= 300 && status < 400 && !capture.redirect_target.empty()) {
      return follow_redirect(site, item, capture, redirects_before);
    }
    if (status >= 200 && status < 300) {
      Status s = discover_links(site, item, capture);
      if (!s.ok()) return s;
      s = discover_resources(site, item, *recorded);
      if (!s.ok()) return s;
    }
    return store_.mark_done(item.id);  // 2xx, and 4xx: the server's answer is the record
  });
}

Status Crawl::handle(FetchResult result) {
  auto it = in_flight_.find(result.token);
  if (it == in_flight_.end()) return Status::Ok();
  InFlight flight = std::move(it->second);
  in_flight_.erase(it);
  Host& host = host_for(flight.authority);
  host.politeness.on_finish(result.received_by);
  size_t site_index = flight.robots ? flight.fetch.site : flight.task.site;
  --sites_[site_index]->in_flight;
  return flight.robots ? handle_robots(flight, result, host) : handle_item(flight, result, host);
}

void Crawl::stop_site(Site& site, const std::string& reason) {
  if (site.stop_reason.empty()) site.stop_reason = reason;
}

bool Crawl::site_done(const Site& site) const {
  if (site.in_flight > 0) return false;
  if (!site.stop_reason.empty() || stopping_) return true;
  return site.in_memory == 0 && site.exhausted && !site.claim_dirty;
}

Status Crawl::report_progress(bool final_report) {
  SteadyTime now = Clock::now();
  if (!final_report && now - last_progress_ < options_.progress_interval) return Status::Ok();
  last_progress_ = now;
  std::vector<SiteProgress> all;
  for (auto& site : sites_) {
    if (final_report || now - site->pending_checked >= kPendingCountRefresh) {
      site->pending_checked = now;
      auto pending = store_.pending_count(site->config->id);
      if (!pending.ok()) return pending.failure();
      site->progress.queued = *pending;
    }
    const auto& hosts = site->scope.hosts();
    if (!hosts.empty()) {
      auto it = hosts_.find(hosts.front());
      if (it != hosts_.end()) site->progress.delay_ms = it->second->politeness.delay().count();
    }
    all.push_back(site->progress);
  }
  if (options_.on_progress) options_.on_progress(all);
  return Status::Ok();
}

Millis Crawl::loop_wait(SteadyTime now) const {
  // Once stopping, only transfers in flight matter: wait() returns as soon as one finishes.
  if (stopping_) return kMaxLoopWait;
  // A site whose claimed items went without a transfer (robots.txt refused them, say) claims more
  // at once rather than after the longest wait.
  for (const auto& site : sites_) {
    if (claim_due(*site)) return Millis(0);
  }
  SteadyTime next = now + kMaxLoopWait;
  for (const auto& [authority, host] : hosts_) {
    if (host->abandoned || host->politeness.busy() || host->waiting_for_robots) continue;
    if (host->queue.empty() && host->robots_fetches.empty()) continue;
    next = std::min(next, host->politeness.next_start());
  }
  for (const auto& site : sites_) {
    if (!site->retries_due.empty()) next = std::min(next, *site->retries_due.begin());
  }
  next = std::min(next, last_progress_ + options_.progress_interval);
  return std::max(Millis(0), std::chrono::ceil<Millis>(next - now));
}

Result<CrawlSummary> Crawl::run() {
  started_ = Clock::now();
  run_started_utc_ = start_of_run_utc();
  Status prepared = prepare();
  if (!prepared.ok()) return prepared.failure();
  SteadyTime started = Clock::now();
  std::optional<SteadyTime> deadline;
  if (options_.max_time.count() > 0) deadline = started + options_.max_time;
  while (true) {
    SteadyTime now = Clock::now();
    if (!stopping_ && options_.stop != nullptr && options_.stop->load()) {
      for (auto& site : sites_) {
        if (!site_done(*site)) stop_site(*site, "stopped");
      }
      stopping_ = true;
      summary_.stopped = true;
    }
    if (!stopping_ && deadline && now >= *deadline) {
      for (auto& site : sites_) {
        if (!site_done(*site)) stop_site(*site, "time limit");
      }
      stopping_ = true;
      summary_.time_limit_reached = true;
    }
    if (!stopping_) {
      for (size_t i = 0; i < sites_.size(); ++i) {
        Status s = claim(*sites_[i], i, now);
        if (!s.ok()) return s.failure();
      }
      for (auto& [authority, host] : hosts_) {
        Status s = start_ready(*host, now);
        if (!s.ok()) return s.failure();
      }
    }
    bool all_done = std::all_of(sites_.begin(), sites_.end(),
                                [&](const auto& site) { return site_done(*site); });
    if (all_done && fetcher_->in_flight() == 0) break;
    for (FetchResult& result : fetcher_->wait(loop_wait(Clock::now()))) {
      Status s = handle(std::move(result));
      if (!s.ok()) return s.failure();
    }
    Status s = report_progress(false);
    if (!s.ok()) return s.failure();
  }
  // Claimed items that were not fetched (budget, time limit, a host left alone) go back.
  auto released = store_.requeue_in_progress();
  if (!released.ok()) return released.failure();
  for (auto& site : sites_) {
    auto pending = store_.pending_count(site->config->id);
    if (!pending.ok()) return pending.failure();
    site->progress.finished = *pending == 0;
    if (!site->progress.finished && site->stop_reason.empty()) {
      site->stop_reason = "retries left for a later run";
    }
    site->progress.stop_reason = site->progress.finished ? "" : site->stop_reason;
  }
  Status s = report_progress(true);
  if (!s.ok()) return s.failure();
  for (auto& site : sites_) summary_.sites.push_back(site->progress);
  return summary_;
}

}  // namespace

Result<CrawlSummary> crawl(const std::vector<SiteConfig>& sites, CrawlStore& store,
                           const CrawlOptions& options) {
  Crawl crawl(sites, store, options);
  return crawl.run();
}

}  // namespace provarc
