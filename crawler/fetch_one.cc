#include "crawler/fetch_one.h"

#include <algorithm>

#include "crawler/crawler.h"
#include "crawler/fetcher.h"
#include "crawler/url_canon.h"

namespace provarc {
namespace {

// "allowed by <url> line 3 (Allow: /tin)", or with why no rule decided: "(no matching rule)", or
// why there were no rules: "(HTTP 404: robots.txt unavailable, everything allowed (...))".
std::string describe(const RobotsTxt::Decision& decision, const FetchedRobots& robots) {
  std::string text = (decision.allowed ? "allowed by " : "disallowed by ") + robots.final_url;
  if (!robots.verdict.reason.empty()) {
    text += " (" + robots.verdict.reason + ")";
  } else if (decision.line > 0) {
    text += " line " + std::to_string(decision.line) + " (" + decision.rule + ")";
  } else if (!decision.note.empty()) {
    text += " (" + decision.note + ")";
  }
  return text;
}

}  // namespace

FetchedRobots fetch_robots(Transport& transport, const std::string& url,
                           const std::string& user_agent, const CrawlRules& rules) {
  FetchedRobots out;
  out.url = out.final_url = url;
  for (int redirects = 0;; ++redirects) {
    FetchResult result =
        fetch_blocking(transport, robots_request(out.final_url, user_agent, rules));
    out.verdict = robots_verdict(result.capture, redirects, transport.wall_now());
    if (out.verdict.kind != RobotsVerdict::Kind::kFollow) return out;
    out.final_url = out.verdict.follow;
  }
}

PoliteFetcher::PoliteFetcher(const SiteConfig& site, Transport& transport)
    : site_(&site), transport_(&transport) {}

PoliteFetcher::Origin& PoliteFetcher::origin(const std::string& origin_url,
                                             const std::string& agent) {
  auto found = origins_.find(origin_url);
  if (found != origins_.end()) return found->second;
  Origin fresh;
  fresh.robots = fetch_robots(*transport_, origin_url + "/robots.txt", agent, site_->crawl);
  ++requests_;
  fresh.last_start = transport_->now();
  // The gap a crawl would leave between two requests to the host.
  fresh.gap = Millis(site_->crawl.delay_ms);
  if (auto crawl_delay = fresh.robots.verdict.rules.crawl_delay_seconds(agent)) {
    Millis asked(static_cast<int64_t>(*crawl_delay * 1000));
    fresh.gap = std::max(fresh.gap, std::min(asked, Millis(site_->crawl.max_crawl_delay_ms)));
  }
  return origins_.emplace(origin_url, std::move(fresh)).first->second;
}

void PoliteFetcher::wait_turn(Origin& origin) {
  if (origin.last_start) {
    auto due = *origin.last_start + origin.gap;
    auto now = transport_->now();
    if (due > now) transport_->sleep_for(due - now);
  }
  origin.last_start = transport_->now();
}

Result<OneFetch> PoliteFetcher::fetch(const std::string& raw_url) {
  auto url = canonicalize_url(raw_url, site_->crawl.strip_query_params);
  if (!url.ok()) return url.failure();
  auto origin_url = url_origin(*url);
  if (!origin_url.ok()) return origin_url.failure();

  std::string agent = crawler_user_agent(site_->contact_url);
  Origin& host = origin(*origin_url, agent);
  const FetchedRobots& robots = host.robots;
  if (robots.verdict.kind == RobotsVerdict::Kind::kDisallowAll) {
    return fail(robots.final_url + ": " + robots.verdict.reason + "; nothing may be fetched from " +
                *origin_url);
  }
  RobotsTxt::Decision decision = robots.verdict.rules.check(agent, *url);
  OneFetch out;
  out.robots = describe(decision, robots);
  if (!decision.allowed) return fail(*url + ": " + out.robots + "; not fetched");

  wait_turn(host);
  std::string fetched_at = format_utc(transport_->wall_now());
  FetchResult result = fetch_blocking(*transport_, request_with_rules(*url, agent, site_->crawl));
  ++requests_;
  out.capture = std::move(result.capture);
  if (out.capture.outcome == CaptureOutcome::kError) {
    return fail(*url + ": " + out.capture.error);
  }
  out.capture.site = site_->id;
  out.capture.kind = CaptureKind::kPage;
  out.capture.fetched_at = fetched_at;
  return out;
}

Result<OneFetch> fetch_one(const SiteConfig& site, const std::string& url, Transport& transport) {
  return PoliteFetcher(site, transport).fetch(url);
}

Result<OneFetch> fetch_one(const SiteConfig& site, const std::string& url) {
  auto fetcher = Fetcher::create();
  if (!fetcher.ok()) return fetcher.failure();
  return fetch_one(site, url, **fetcher);
}

}  // namespace provarc
