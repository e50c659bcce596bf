#include "crawler/robots_gate.h"

#include "common/url.h"
#include "crawler/crawler.h"
#include "crawler/url_canon.h"

namespace provarc {

RobotsGate::Pass RobotsGate::check(HostQueue& host, const Task& task,
                                   const std::string& user_agent, SteadyTime now) {
  auto origin = url_origin(task.item.url);
  if (!origin.ok()) return {Pass::Kind::kBadUrl, origin.error()};
  switch (cache_.state(*origin, now)) {
    case RobotsCache::State::kFetching:
      host.waiting_for_robots = true;  // its robots.txt is being fetched through a redirect
      return {Pass::Kind::kWait, ""};
    case RobotsCache::State::kUnknown:
    case RobotsCache::State::kUnreachable:
      // Never read, older than a day, or unreachable and the backoff is over: fetch it first.
      cache_.fetching(*origin);
      host.robots_fetches.push_front({*origin, *origin + "/robots.txt", 0, task.site});
      return {Pass::Kind::kFetchFirst, ""};
    case RobotsCache::State::kReady: break;
  }
  RobotsTxt::Decision decision = cache_.rules(*origin)->check(user_agent, task.item.url);
  if (decision.allowed) return {Pass::Kind::kAllowed, ""};
  std::string why = "disallowed by " + *origin + "/robots.txt";
  if (decision.line > 0) {
    why += " line " + std::to_string(decision.line) + " (" + decision.rule + ")";
  }
  return {Pass::Kind::kDisallowed, why};
}

void RobotsGate::unreachable(const std::string& origin, std::optional<Millis> retry_after) {
  cache_.unreachable(origin);
  auto authority = url_authority(origin);
  if (!authority.ok()) return;
  HostQueue& owner = hosts_.at(*authority);
  if (retry_after) {
    owner.politeness.on_retry_after(clock_.now(), *retry_after);
  } else {
    owner.politeness.on_transient_failure(clock_.now());
  }
}

RobotsGate::Applied RobotsGate::ready(const std::string& origin, HostQueue& owner,
                                      RobotsTxt rules) {
  cache_.ready(origin, std::move(rules), clock_.now());
  Applied out;
  out.owner = &owner;
  out.rules = cache_.rules(origin);
  // Crawl-delay is per product token; every site on a host shares the token, so any agent will do.
  owner.politeness.set_crawl_delay(out.rules->crawl_delay_seconds(crawler_user_agent("")));
  return out;
}

RobotsGate::Applied RobotsGate::apply(const RobotsFetch& fetch, RobotsVerdict& verdict,
                                      const FetchResult& result, HostQueue& host,
                                      const CrawlRules& site_rules) {
  if (verdict.kind == RobotsVerdict::Kind::kDisallowAll) {
    unreachable(fetch.origin, verdict.retry_after);
    Applied out;
    out.unreachable = true;
    // Neither heals within a run: the backoff would hold the run for half an hour.
    out.abandon_host = result.host_not_found || result.tls_failure;
    return out;
  }
  host.politeness.on_success();
  // The rules belong to the origin that asked, wherever a redirect took the request.
  auto owner_authority = url_authority(fetch.origin);
  HostQueue& owner = owner_authority.ok() ? hosts_.at(*owner_authority) : host;
  if (verdict.kind != RobotsVerdict::Kind::kFollow) {
    return ready(fetch.origin, owner, std::move(verdict.rules));
  }
  auto target_authority = url_authority(verdict.follow);
  if (!target_authority.ok()) return ready(fetch.origin, owner, RobotsTxt::allow_all());
  HostQueue& target = hosts_.at(*target_authority);
  if (target.abandoned) {
    unreachable(fetch.origin, {});
    return {};
  }
  target.add_site(site_rules);
  target.robots_fetches.push_back({fetch.origin, verdict.follow, fetch.redirects + 1, fetch.site});
  return {};
}

}  // namespace provarc
