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

Result<OneFetch> fetch_one(const SiteConfig& site, const std::string& raw_url,
                           Transport& transport) {
  auto url = canonicalize_url(raw_url, site.crawl.strip_query_params);
  if (!url.ok()) return url.failure();
  auto origin = url_origin(*url);
  if (!origin.ok()) return origin.failure();

  std::string agent = crawler_user_agent(site.contact_url);
  FetchedRobots robots = fetch_robots(transport, *origin + "/robots.txt", agent, site.crawl);
  if (robots.verdict.kind == RobotsVerdict::Kind::kDisallowAll) {
    return fail(robots.final_url + ": " + robots.verdict.reason + "; nothing may be fetched from " +
                *origin);
  }
  RobotsTxt::Decision decision = robots.verdict.rules.check(agent, *url);
  OneFetch out;
  out.robots = describe(decision, robots);
  if (!decision.allowed) return fail(*url + ": " + out.robots + "; not fetched");

  // The gap a crawl would leave between two requests to the host.
  Millis gap(site.crawl.delay_ms);
  if (auto crawl_delay = robots.verdict.rules.crawl_delay_seconds(agent)) {
    Millis asked(static_cast<int64_t>(*crawl_delay * 1000));
    gap = std::max(gap, std::min(asked, Millis(site.crawl.max_crawl_delay_ms)));
  }
  transport.sleep_for(gap);

  std::string fetched_at = format_utc(transport.wall_now());
  FetchResult result = fetch_blocking(transport, request_with_rules(*url, agent, site.crawl));
  out.capture = std::move(result.capture);
  if (out.capture.outcome == CaptureOutcome::kError) {
    return fail(*url + ": " + out.capture.error);
  }
  out.capture.site = site.id;
  out.capture.kind = CaptureKind::kPage;
  out.capture.fetched_at = fetched_at;
  return out;
}

Result<OneFetch> fetch_one(const SiteConfig& site, const std::string& url) {
  auto fetcher = Fetcher::create();
  if (!fetcher.ok()) return fetcher.failure();
  return fetch_one(site, url, **fetcher);
}

}  // namespace provarc
