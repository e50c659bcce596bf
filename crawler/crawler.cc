// The crawl loop: claim, politeness, start, wait, decide, store, report. What an answer means and
// what follows from it is decided elsewhere (robots_policy.h, disposition.h, discovery.h,
// admission.h); this file moves entries between the store, the hosts' queues and the transport,
// and hands each answer to the module that settles it (robots_gate.h, site_crawl.h).
#include "crawler/crawler.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <unordered_map>

#include "common/url.h"
#include "crawler/disposition.h"
#include "crawler/fetcher.h"
#include "crawler/host_queue.h"
#include "crawler/reading_pool.h"
#include "crawler/robots_gate.h"
#include "crawler/robots_policy.h"
#include "crawler/site_crawl.h"

namespace provarc {

std::string crawler_user_agent(const std::string& contact_url) {
  std::string agent = std::string(kRobotsProductToken) + "/" + PROVARC_VERSION;
  if (!contact_url.empty()) agent += " (+" + contact_url + ")";
  return agent;
}

namespace {

constexpr Millis kMaxLoopWait{250};
// Answers held for reading (queued, read, or read and not recorded yet), one per reading thread.
// Each holds a body of up to a site's max_body_bytes and what was read of it (a sitemap's 5 000
// entries are about 1.5 MB): held 8, tests/cli_memory_test's RSS grew 14.5 MiB from a 10 000- to
// a 100 000-URL frontier read from sitemaps, 4.8 MiB held 3, 3.8 MiB held 2 (the bound is 5). At
// the cap the loop starts no transfer until one is recorded.
constexpr size_t kMaxReadingsHeld = 2;

// An answer being read on a reading thread; recorded once read.
struct Reading {
  Task task;
  Disposition d;
  Millis wait{0};
  Capture capture;
  SiteCrawl::Reading read;
};

// What a transfer in flight is for.
struct InFlight {
  bool robots = false;
  Task task;          // when !robots
  RobotsFetch fetch;  // when robots
  std::string authority;
  std::string fetched_at;
};

PolitenessRules host_rules(const CrawlOptions& options) {
  PolitenessRules rules;
  rules.delay = Millis(0);  // raised by every site that uses the host (HostQueue::add_site)
  rules.max_crawl_delay = Millis(0);
  rules.max_backoff = options.max_backoff;
  rules.pause_after_failures = options.pause_after_failures;
  rules.give_up_after_failures = options.give_up_after_failures;
  return rules;
}

class Crawl {
 public:
  Crawl(const std::vector<SiteConfig>& configs, CrawlStore& store, const CrawlOptions& options,
        Transport& net)
      : store_(store), options_(options), net_(net), hosts_(host_rules(options)),
        robots_(hosts_, net) {
    auto log = [this](const std::string& line) { this->log(line); };
    for (const SiteConfig& c : configs) {
      sites_.push_back(std::make_unique<SiteCrawl>(c, crawler_user_agent(c.contact_url), store,
                                                   robots_.cache(), net, log));
    }
    if (options.reading_threads > 0) {
      pool_ = std::make_unique<ReadingPool>(options.reading_threads, kMaxReadingsHeld,
                                            [&net] { net.wake(); });
    }
  }

  Result<CrawlSummary> run();

 private:
  Status prepare();
  Status claim(size_t site_index, SteadyTime now);
  void queue_probes(size_t site_index);
  void release_deferred(HostQueue& host);
  Status start_ready(HostQueue& host, SteadyTime now);
  Status start_next_task(HostQueue& host, SteadyTime now);
  void start_robots(HostQueue& host, SteadyTime now);
  void start_task(HostQueue& host, SteadyTime now);
  void start(HostQueue& host, InFlight flight, const FetchRequest& request, SteadyTime now);
  Status handle(FetchResult result);
  Status handle_robots(SiteCrawl& site, const RobotsFetch& fetch, FetchResult& result,
                       HostQueue& host);
  Status handle_item(SiteCrawl& site, Task& task, FetchResult& result, HostQueue& host);
  Status record_readings();
  Status wait_and_handle();
  bool may_start() const { return pool_ == nullptr || pool_->has_room(); }
  void abandon(HostQueue& host, const std::string& why);
  void drop_front(HostQueue& host);
  void stop_all(const std::string& reason);
  bool site_done(const SiteCrawl& site) const;
  Status report_progress(bool final_report);
  Status finish();
  Millis loop_wait(SteadyTime now) const;
  std::string start_of_run_utc();
  void log(const std::string& line) const {
    if (options_.on_log) options_.on_log(line);
  }

  CrawlStore& store_;
  const CrawlOptions& options_;
  Transport& net_;
  HostQueues hosts_;
  RobotsGate robots_;
  std::vector<std::unique_ptr<SiteCrawl>> sites_;
  std::unordered_map<uint64_t, InFlight> in_flight_;
  uint64_t next_token_ = 1;
  bool stopping_ = false;
  CrawlSummary summary_;
  SteadyTime started_{};
  std::string run_started_utc_;  // the store's time format; see start_of_run_utc
  SteadyTime last_progress_{};
  std::unordered_map<uint64_t, std::unique_ptr<Reading>> readings_;  // by transfer token
  // Last: its threads, which use readings_ and sites_, stop before those go.
  std::unique_ptr<ReadingPool> pool_;
};

// The time a run starts, as the store writes times (to the millisecond). It first waits for the
// clock to enter a new millisecond, so that whatever an earlier run fetched is strictly older:
// "fetched at or after the start" then means "fetched by this run".
std::string Crawl::start_of_run_utc() {
  const std::string now = format_utc(net_.wall_now());
  std::string next = now;
  while (next == now) {
    net_.sleep_for(std::chrono::microseconds(100));
    next = format_utc(net_.wall_now());
  }
  return next;
}

Status Crawl::prepare() {
  // Items a killed run left in progress go back to the queue before anything is counted.
  auto requeued = store_.requeue_in_progress();
  if (!requeued.ok()) return requeued.failure();
  for (auto& site : sites_) {
    const CrawlRules& rules = site->config().crawl;
    if (!rules.verify_tls) {
      log("warning: " + site->config().id +
          ": TLS certificates are not verified (verify_tls = false)");
    }
    for (const std::string& authority : site->discovery().scope().hosts()) {
      hosts_.at(authority).add_site(rules);
    }
    for (const Discovered& seed : site->discovery().seeds()) {
      if (auto authority = url_authority(seed.entry.url); authority.ok()) {
        hosts_.at(*authority).add_site(rules);
      }
    }
    if (Status s = site->begin(run_started_utc_, options_.max_pages); !s.ok()) return s;
  }
  return Status::Ok();
}

// Claims the site's due entries into their hosts' queues.
Status Crawl::claim(size_t site_index, SteadyTime now) {
  SiteCrawl& site = *sites_[site_index];
  auto items = site.claim(now, options_.max_retry_wait);
  if (!items.ok()) return items.failure();
  for (FrontierEntry& item : *items) {
    auto authority = url_authority(item.url);
    if (!authority.ok()) {
      if (Status s = store_.mark_failed(item.id, authority.error()); !s.ok()) return s;
      continue;
    }
    HostQueue& host = hosts_.at(*authority);
    if (host.abandoned) continue;  // stays in progress; released at the end of the run
    host.add_site(site.config().crawl);
    host.add_task(Task{std::move(item), site_index});
    ++site.in_memory;
  }
  return Status::Ok();
}

// Puts the site's next session probe, if one waits, at the front of its host's queue.
void Crawl::queue_probes(size_t site_index) {
  SiteCrawl& site = *sites_[site_index];
  while (std::optional<FrontierEntry> probe = site.take_probe()) {
    auto authority = url_authority(probe->url);
    if (!authority.ok()) {
      site.probe_failed(*probe, authority.error());
      continue;
    }
    HostQueue& host = hosts_.at(*authority);
    if (host.abandoned) {
      site.probe_failed(*probe, "its host was left for this run");
      continue;
    }
    host.add_site(site.config().crawl);
    host.tasks.push_front(Task{std::move(*probe), site_index, /*probe=*/true});
  }
}

// Tasks that waited for a session probe go back to the queue, in their order, once it decided.
void Crawl::release_deferred(HostQueue& host) {
  for (auto it = host.deferred.begin(); it != host.deferred.end();) {
    if (sites_[it->site]->defers(it->item)) {
      ++it;
      continue;
    }
    host.add_task(std::move(*it));
    it = host.deferred.erase(it);
  }
}

// Leaves `host` for the rest of the run, logging `why`; its claimed items go back to the queue at
// the end of the run.
void Crawl::abandon(HostQueue& host, const std::string& why) {
  HostQueues::Abandoned left = HostQueues::abandon(host);
  for (const Task& task : left.tasks) {
    if (task.probe) {
      sites_[task.site]->probe_failed(task.item, why);
    } else {
      --sites_[task.site]->in_memory;
    }
  }
  // robots.txt files redirected here cannot be read: their origins count as unreachable.
  for (const RobotsFetch& fetch : left.robots_fetches) robots_.unreachable(fetch.origin, {});
  log("error: " + host.authority + ": " + why + "; its URLs are left for a later run");
}

void Crawl::start(HostQueue& host, InFlight flight, const FetchRequest& request,
                  SteadyTime now) {
  flight.authority = host.authority;
  flight.fetched_at = format_utc(net_.wall_now());
  host.politeness.on_start(now);
  in_flight_.emplace(request.token, std::move(flight));
  net_.start(request);
}

void Crawl::start_robots(HostQueue& host, SteadyTime now) {
  InFlight flight;
  flight.robots = true;
  flight.fetch = std::move(host.robots_fetches.front());
  host.robots_fetches.pop_front();
  SiteCrawl& site = *sites_[flight.fetch.site];
  ++site.in_flight;
  FetchRequest request = robots_request(flight.fetch.url, site.user_agent(), site.config().crawl);
  request.token = next_token_++;
  start(host, std::move(flight), request, now);
}

// Starts the task at the front of `host`'s queue.
void Crawl::start_task(HostQueue& host, SteadyTime now) {
  InFlight flight;
  flight.task = std::move(host.tasks.front());
  host.tasks.pop_front();
  SiteCrawl& site = *sites_[flight.task.site];
  FetchRequest request = site.request_for(flight.task.item);
  request.token = next_token_++;
  if (flight.task.item.kind == CaptureKind::kPage) ++site.progress.pages;
  ++site.in_flight;
  if (!flight.task.probe) --site.in_memory;
  start(host, std::move(flight), request, now);
}

// Removes the task at the front of `host`'s queue without a request (it stays in progress in the
// store, released at the end of the run, unless the caller marked it).
void Crawl::drop_front(HostQueue& host) {
  const Task& task = host.tasks.front();
  if (!task.probe) --sites_[task.site]->in_memory;
  host.tasks.pop_front();
}

// Starts the next request of `host` if it may start now: robots.txt first, then claimed items
// that robots.txt allows (items it forbids are closed without a request).
Status Crawl::start_ready(HostQueue& host, SteadyTime now) {
  host.waiting_for_robots = false;
  if (host.abandoned) return Status::Ok();
  release_deferred(host);
  if (host.politeness.gave_up()) {
    abandon(host, std::to_string(host.politeness.failure_streak()) + " failures in a row");
    return Status::Ok();
  }
  if (!host.politeness.ready(now)) return Status::Ok();
  if (!host.robots_fetches.empty()) {
    start_robots(host, now);
    return Status::Ok();
  }
  return start_next_task(host, now);
}

Status Crawl::start_next_task(HostQueue& host, SteadyTime now) {
  while (!host.tasks.empty()) {
    Task& task = host.tasks.front();
    SiteCrawl& site = *sites_[task.site];
    if (site.refuses(task.item)) {
      if (task.probe) site.probe_failed(task.item, "the site stopped");
      drop_front(host);
      continue;
    }
    if (!task.probe) {
      auto resolved = site.resolve(task.item);
      if (!resolved.ok()) return resolved.failure();
      if (*resolved == SiteCrawl::Resolution::kDefer) {
        host.deferred.push_back(std::move(task));
        host.tasks.pop_front();
        continue;
      }
      if (*resolved == SiteCrawl::Resolution::kSettled) {
        drop_front(host);
        continue;
      }
    }
    RobotsGate::Pass pass = robots_.check(host, task, site.user_agent(), now);
    switch (pass.kind) {
      case RobotsGate::Pass::Kind::kWait: return Status::Ok();
      case RobotsGate::Pass::Kind::kFetchFirst: start_robots(host, now); return Status::Ok();
      case RobotsGate::Pass::Kind::kAllowed: start_task(host, now); return Status::Ok();
      case RobotsGate::Pass::Kind::kDisallowed: ++site.progress.disallowed; break;
      case RobotsGate::Pass::Kind::kBadUrl: ++site.progress.failed; break;
    }
    if (pass.kind == RobotsGate::Pass::Kind::kBadUrl) {
      log("error: " + task.item.url + ": " + pass.why);
    }
    if (task.probe) {
      site.probe_failed(task.item, pass.why);
      drop_front(host);
      continue;
    }
    Status s = store_.mark_failed(task.item.id, pass.why);
    drop_front(host);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Crawl::handle_robots(SiteCrawl& site, const RobotsFetch& fetch, FetchResult& result,
                            HostQueue& host) {
  Capture& capture = result.capture;
  capture.kind = CaptureKind::kRobots;
  RobotsVerdict verdict = robots_verdict(capture, fetch.redirects, net_.wall_now());
  return store_.atomically([&]() -> Status {
    auto recorded = store_.record(capture, false);
    if (!recorded.ok()) return recorded.failure();
    RobotsGate::Applied applied =
        robots_.apply(fetch, verdict, result, host, site.config().crawl);
    if (applied.unreachable) ++site.progress.errors;
    if (applied.abandon_host) {
      abandon(host, capture.url + ": " + capture.error);
    } else if (applied.unreachable) {
      log("warning: " + capture.url + ": " + verdict.reason + "; nothing is fetched from " +
          fetch.origin + " until robots.txt answers");
    }
    if (applied.rules == nullptr) return Status::Ok();
    for (auto& other : sites_) {
      for (const Discovered& sitemap :
           other->discovery().sitemaps_of(*applied.rules, fetch.origin, applied.owner->authority)) {
        if (Status s = other->offer(sitemap); !s.ok()) return s;
      }
    }
    return Status::Ok();
  });
}

Status Crawl::handle_item(SiteCrawl& site, Task& task, FetchResult& result, HostQueue& host) {
  const FrontierEntry& item = task.item;
  Capture& capture = result.capture;
  capture.kind = item.kind;
  capture.parent_url = item.parent_url;
  const SteadyTime now = net_.now();
  site.progress.duration_ms = std::chrono::duration_cast<Millis>(now - started_).count();
  Disposition d =
      decide(result, !task.probe && site.discovery().is_article(item), net_.wall_now());
  if (d.error) ++site.progress.errors;
  Millis wait = apply_to_host(d, host.politeness, now);
  if (wait > options_.max_retry_wait) {
    log("warning: " + host.authority + " asks to wait " + std::to_string(wait.count() / 1000) +
        " s; its URLs are left for a later run");
  }
  if (task.probe) {
    --site.in_flight;
    return site.settle_probe(item, d, capture);
  }
  if (pool_ == nullptr || d.kind != Disposition::Kind::kDiscover) {
    --site.in_flight;
    return site.settle(item, d, wait, std::move(capture));
  }
  // Read on a reading thread, recorded by record_readings(); the entry stays in progress (and
  // counted in flight) until then.
  auto reading =
      std::make_unique<Reading>(Reading{std::move(task), d, wait, std::move(capture), {}});
  Reading* job = reading.get();
  readings_.emplace(result.token, std::move(reading));
  pool_->submit(result.token,
                [job, &site] { job->read = site.read(job->task.item, job->d, job->capture); });
  return Status::Ok();
}

// Records the answers whose reading is done.
Status Crawl::record_readings() {
  if (pool_ == nullptr) return Status::Ok();
  for (uint64_t token : pool_->take_done()) {
    auto it = readings_.find(token);
    if (it == readings_.end()) continue;
    std::unique_ptr<Reading> reading = std::move(it->second);
    readings_.erase(it);
    SiteCrawl& site = *sites_[reading->task.site];
    --site.in_flight;
    Status s = site.settle(reading->task.item, reading->d, reading->wait, std::move(reading->capture),
                           &reading->read);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Crawl::handle(FetchResult result) {
  auto it = in_flight_.find(result.token);
  if (it == in_flight_.end()) return Status::Ok();
  InFlight flight = std::move(it->second);
  in_flight_.erase(it);
  HostQueue& host = hosts_.at(flight.authority);
  host.politeness.on_finish(result.received_by);
  SiteCrawl& site = *sites_[flight.robots ? flight.fetch.site : flight.task.site];
  ++site.progress.fetched;
  site.progress.bytes += static_cast<int64_t>(result.capture.body.size());
  result.capture.site = site.config().id;
  result.capture.fetched_at = flight.fetched_at;
  if (!flight.robots) return handle_item(site, flight.task, result, host);
  --site.in_flight;
  return handle_robots(site, flight.fetch, result, host);
}

bool Crawl::site_done(const SiteCrawl& site) const {
  if (site.in_flight > 0) return false;
  if (!site.stop_reason().empty() || stopping_) return true;
  return site.idle();
}

// No fetch starts any more; every site not done yet stops for `reason`.
void Crawl::stop_all(const std::string& reason) {
  for (auto& site : sites_) {
    if (!site_done(*site)) site->stop(reason);
  }
  stopping_ = true;
}

Status Crawl::report_progress(bool final_report) {
  SteadyTime now = net_.now();
  if (!final_report && now - last_progress_ < options_.progress_interval) return Status::Ok();
  last_progress_ = now;
  std::vector<SiteProgress> all;
  for (auto& site : sites_) {
    if (Status s = site->count_queued(now, final_report); !s.ok()) return s;
    const auto& hosts = site->discovery().scope().hosts();
    if (const HostQueue* first = hosts.empty() ? nullptr : hosts_.find(hosts.front())) {
      site->progress.delay_ms = first->politeness.delay().count();
    }
    all.push_back(site->progress);
  }
  if (options_.on_progress) options_.on_progress(all);
  return Status::Ok();
}

Millis Crawl::loop_wait(SteadyTime now) const {
  // Once stopping, only transfers in flight and readings matter: wait() returns as soon as one
  // finishes.
  if (stopping_) return kMaxLoopWait;
  // Held back by readings held: nothing starts before one is recorded (the pool wakes wait()).
  if (!may_start()) return kMaxLoopWait;
  // A site whose claimed items went without a transfer (robots.txt refused them, say) claims more
  // at once rather than after the longest wait.
  for (const auto& site : sites_) {
    if (site->claim_due()) return Millis(0);
  }
  SteadyTime next = hosts_.next_start(now + kMaxLoopWait);
  for (const auto& site : sites_) {
    if (auto retry = site->next_retry()) next = std::min(next, *retry);
  }
  next = std::min(next, last_progress_ + options_.progress_interval);
  return std::max(Millis(0), std::chrono::ceil<Millis>(next - now));
}

// Releases what was claimed and not fetched, and settles each site's final counts.
Status Crawl::finish() {
  // Claimed items that were not fetched (budget, time limit, a host left alone) go back.
  auto released = store_.requeue_in_progress();
  if (!released.ok()) return released.failure();
  for (auto& site : sites_) {
    if (Status s = site->finish(); !s.ok()) return s;
  }
  if (Status s = report_progress(true); !s.ok()) return s;
  for (auto& site : sites_) summary_.sites.push_back(site->progress);
  return Status::Ok();
}

// Waits for transfers (or, with none in flight, for readings: a virtual clock then stands still
// while a reading thread works), handles the answers and records what was read.
Status Crawl::wait_and_handle() {
  const Millis wait = loop_wait(net_.now());
  if (net_.in_flight() == 0 && !readings_.empty()) {
    pool_->wait_done(wait);
  } else {
    for (FetchResult& result : net_.wait(wait)) {
      if (Status s = handle(std::move(result)); !s.ok()) return s;
    }
  }
  return record_readings();
}

Result<CrawlSummary> Crawl::run() {
  started_ = net_.now();
  run_started_utc_ = start_of_run_utc();
  if (Status prepared = prepare(); !prepared.ok()) return prepared.failure();
  std::optional<SteadyTime> deadline;
  if (options_.max_time.count() > 0) deadline = net_.now() + options_.max_time;
  while (true) {
    const SteadyTime now = net_.now();
    if (!stopping_ && options_.stop != nullptr && options_.stop->load()) {
      stop_all("stopped");
      summary_.stopped = true;
    }
    if (!stopping_ && deadline && now >= *deadline) {
      stop_all("time limit");
      summary_.time_limit_reached = true;
    }
    for (size_t i = 0; i < sites_.size() && !stopping_; ++i) {
      if (Status s = claim(i, now); !s.ok()) return s.failure();
      queue_probes(i);
    }
    for (auto& [authority, host] : hosts_) {
      if (stopping_ || !may_start()) break;
      if (Status s = start_ready(*host, now); !s.ok()) return s.failure();
    }
    bool all_done = std::all_of(sites_.begin(), sites_.end(),
                                [&](const auto& site) { return site_done(*site); });
    if (all_done && net_.in_flight() == 0 && readings_.empty()) break;
    if (Status s = wait_and_handle(); !s.ok()) return s.failure();
    if (Status s = report_progress(false); !s.ok()) return s.failure();
  }
  if (Status s = finish(); !s.ok()) return s.failure();
  return summary_;
}

}  // namespace

Result<CrawlSummary> crawl(const std::vector<SiteConfig>& sites, CrawlStore& store,
                           const CrawlOptions& options) {
  std::unique_ptr<Fetcher> fetcher;
  Transport* transport = options.transport;
  if (transport == nullptr) {
    auto created = Fetcher::create();
    if (!created.ok()) return created.failure();
    fetcher = std::move(*created);
    transport = fetcher.get();
  }
  Crawl crawl(sites, store, options, *transport);
  return crawl.run();
}

}  // namespace provarc
