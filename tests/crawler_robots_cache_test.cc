// Tests for crawler/robots_cache.h and crawler/robots_gate.h: what each origin's robots.txt is and
// how long it holds, which entries wait for it, and what each answer does to the hosts.
#include "crawler/robots_cache.h"

#include <gtest/gtest.h>

#include "crawler/robots_gate.h"
#include "tests/support/scripted_transport.h"

namespace provarc {
namespace {

using State = RobotsCache::State;
using std::chrono::hours;
using std::chrono::milliseconds;

const std::string kOrigin = "https://so.example.vn";

TEST(RobotsCache, RulesHoldForADayThenAreFetchedAgain) {
  RobotsCache cache;
  const SteadyTime t0 = SteadyTime() + hours(1);
  EXPECT_EQ(cache.state(kOrigin, t0), State::kUnknown);
  EXPECT_EQ(cache.rules(kOrigin), nullptr);
  cache.fetching(kOrigin);
  EXPECT_EQ(cache.state(kOrigin, t0), State::kFetching);
  EXPECT_EQ(cache.rules(kOrigin), nullptr);
  cache.ready(kOrigin, RobotsTxt::parse("User-agent: *\nDisallow: /private\n"), t0);
  EXPECT_EQ(cache.state(kOrigin, t0 + hours(23)), State::kReady);
  ASSERT_NE(cache.rules(kOrigin), nullptr);
  EXPECT_FALSE(cache.rules(kOrigin)->allowed("provarc", "/private/a"));
  EXPECT_EQ(cache.state(kOrigin, t0 + hours(24)), State::kUnknown) << "RFC 9309 2.4";
  EXPECT_EQ(cache.rules(kOrigin), nullptr);
  EXPECT_EQ(cache.state("https://other.example.vn", t0), State::kUnknown) << "per origin";
}

TEST(RobotsCache, UnreachableDisallowsEverythingButKnowsNothingDisallowed) {
  RobotsCache cache;
  const SteadyTime t0 = SteadyTime() + hours(1);
  cache.unreachable(kOrigin);
  EXPECT_EQ(cache.state(kOrigin, t0 + hours(100)), State::kUnreachable) << "until asked again";
  ASSERT_NE(cache.rules(kOrigin), nullptr);
  EXPECT_FALSE(cache.rules(kOrigin)->allowed("provarc", "/tin-tuc/1"));
  // known_disallowed() speaks only of rules read: a URL refused now is refused for a while only.
  EXPECT_FALSE(cache.known_disallowed("provarc", kOrigin + "/tin-tuc/1"));
  cache.ready(kOrigin, RobotsTxt::parse("User-agent: *\nDisallow: /private\n"), t0);
  EXPECT_TRUE(cache.known_disallowed("provarc/1.0 (+https://x)", kOrigin + "/private/a"));
  EXPECT_FALSE(cache.known_disallowed("provarc", kOrigin + "/tin-tuc/1"));
  EXPECT_FALSE(cache.known_disallowed("provarc", "https://other.example.vn/private/a"));
  EXPECT_FALSE(cache.known_disallowed("provarc", "not a url"));
}

class RobotsGateTest : public ::testing::Test {
 protected:
  RobotsGateTest() : hosts_(rules()), gate_(hosts_, clock_) {}

  static PolitenessRules rules() {
    PolitenessRules r;
    r.delay = milliseconds(1000);
    r.max_backoff = milliseconds(60000);
    return r;
  }

  Task task(const std::string& url) {
    Task t;
    t.item.url = url;
    return t;
  }

  FetchResult result(int status) {
    FetchResult r;
    r.capture.status = status;
    return r;
  }

  testing::ScriptedTransport clock_;
  HostQueues hosts_;
  RobotsGate gate_;
  CrawlRules site_rules_;
};

TEST_F(RobotsGateTest, AnEntryWaitsForItsOriginsRobotsTxt) {
  HostQueue& host = hosts_.at("so.example.vn");
  const SteadyTime now = clock_.now();
  RobotsGate::Pass first = gate_.check(host, task(kOrigin + "/a"), "provarc", now);
  EXPECT_EQ(first.kind, RobotsGate::Pass::Kind::kFetchFirst);
  ASSERT_EQ(host.robots_fetches.size(), 1u);
  EXPECT_EQ(host.robots_fetches.front().url, kOrigin + "/robots.txt");
  EXPECT_EQ(host.robots_fetches.front().origin, kOrigin);
  EXPECT_EQ(gate_.check(host, task(kOrigin + "/b"), "provarc", now).kind,
            RobotsGate::Pass::Kind::kWait);
  EXPECT_TRUE(host.waiting_for_robots);

  RobotsFetch fetch = host.robots_fetches.front();
  RobotsVerdict verdict;
  verdict.kind = RobotsVerdict::Kind::kRules;
  verdict.rules = RobotsTxt::parse("User-agent: *\nDisallow: /b\nCrawl-delay: 5\n");
  RobotsGate::Applied applied = gate_.apply(fetch, verdict, result(200), host, site_rules_);
  EXPECT_FALSE(applied.unreachable);
  ASSERT_NE(applied.rules, nullptr);
  EXPECT_EQ(applied.owner, &host);
  EXPECT_EQ(host.politeness.delay(), milliseconds(5000)) << "Crawl-delay, under the 30 s cap";
  EXPECT_EQ(gate_.check(host, task(kOrigin + "/a"), "provarc", now).kind,
            RobotsGate::Pass::Kind::kAllowed);
  RobotsGate::Pass refused = gate_.check(host, task(kOrigin + "/b"), "provarc", now);
  EXPECT_EQ(refused.kind, RobotsGate::Pass::Kind::kDisallowed);
  EXPECT_EQ(refused.why, "disallowed by " + kOrigin + "/robots.txt line 2 (Disallow: /b)");
  EXPECT_EQ(gate_.check(host, task("not a url"), "provarc", now).kind,
            RobotsGate::Pass::Kind::kBadUrl);
}

TEST_F(RobotsGateTest, AnUnreachableRobotsTxtHoldsItsOriginBackThenIsAskedAgain) {
  HostQueue& host = hosts_.at("so.example.vn");
  const SteadyTime now = clock_.now();
  gate_.check(host, task(kOrigin + "/a"), "provarc", now);
  RobotsFetch fetch = host.robots_fetches.front();
  host.robots_fetches.pop_front();
  RobotsVerdict verdict;
  verdict.kind = RobotsVerdict::Kind::kDisallowAll;
  verdict.retry_after = milliseconds(45000);
  RobotsGate::Applied applied = gate_.apply(fetch, verdict, result(429), host, site_rules_);
  EXPECT_TRUE(applied.unreachable);
  EXPECT_FALSE(applied.abandon_host);
  EXPECT_EQ(applied.rules, nullptr);
  EXPECT_FALSE(host.politeness.ready(now + milliseconds(44999))) << "the server's Retry-After";
  EXPECT_TRUE(host.politeness.ready(now + milliseconds(45000)));
  // Once the host may be asked again, the next entry fetches robots.txt again first.
  EXPECT_EQ(gate_.check(host, task(kOrigin + "/a"), "provarc", now + milliseconds(45000)).kind,
            RobotsGate::Pass::Kind::kFetchFirst);

  FetchResult dns;
  dns.capture.outcome = CaptureOutcome::kError;
  dns.host_not_found = true;
  verdict.retry_after.reset();
  EXPECT_TRUE(gate_.apply(fetch, verdict, dns, host, site_rules_).abandon_host)
      << "a name that does not resolve will not heal within the run";
}

TEST_F(RobotsGateTest, ARedirectIsFetchedOnItsTargetsHostForTheOriginThatAsked) {
  HostQueue& host = hosts_.at("so.example.vn");
  gate_.check(host, task(kOrigin + "/a"), "provarc", clock_.now());
  RobotsFetch fetch = host.robots_fetches.front();
  host.robots_fetches.pop_front();
  RobotsVerdict follow;
  follow.kind = RobotsVerdict::Kind::kFollow;
  follow.follow = "https://cdn.example.vn/robots/so.txt";
  site_rules_.delay_ms = 3000;
  RobotsGate::Applied applied = gate_.apply(fetch, follow, result(301), host, site_rules_);
  EXPECT_EQ(applied.rules, nullptr);
  HostQueue& cdn = hosts_.at("cdn.example.vn");
  ASSERT_EQ(cdn.robots_fetches.size(), 1u);
  EXPECT_EQ(cdn.robots_fetches.front().origin, kOrigin);
  EXPECT_EQ(cdn.robots_fetches.front().redirects, 1);
  EXPECT_EQ(cdn.politeness.delay(), milliseconds(3000)) << "the site's delay applies there too";
  EXPECT_EQ(gate_.cache().rules(kOrigin), nullptr) << "still being fetched";

  RobotsVerdict rules;
  rules.kind = RobotsVerdict::Kind::kRules;
  rules.rules = RobotsTxt::parse("User-agent: *\nDisallow: /x\n");
  applied = gate_.apply(cdn.robots_fetches.front(), rules, result(200), cdn, site_rules_);
  EXPECT_EQ(applied.owner, &host) << "the rules are the origin's, not the CDN's";
  ASSERT_NE(gate_.cache().rules(kOrigin), nullptr);
  EXPECT_EQ(gate_.cache().rules("https://cdn.example.vn"), nullptr);
}

}  // namespace
}  // namespace provarc
