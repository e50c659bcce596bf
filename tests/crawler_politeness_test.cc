// Tests for crawler/politeness.h: the per-host rules over explicit times, and Retry-After.
#include "crawler/politeness.h"

#include <gtest/gtest.h>

#include "common/time.h"

namespace provarc {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

SteadyTime t0() { return SteadyTime() + std::chrono::hours(1); }

PolitenessRules rules_with_delay(int64_t delay_ms) {
  PolitenessRules rules;
  rules.delay = Millis(delay_ms);
  rules.max_crawl_delay = Millis(30000);
  rules.max_backoff = Millis(60000);
  rules.pause_after_failures = 4;
  rules.give_up_after_failures = 6;
  return rules;
}

TEST(Politeness, OneRequestAtATimeAndTheDelayBetweenStarts) {
  HostPoliteness host(rules_with_delay(1000));
  EXPECT_TRUE(host.ready(t0()));
  host.on_start(t0());
  EXPECT_TRUE(host.busy());
  EXPECT_FALSE(host.ready(t0() + seconds(5)));  // in flight: never a second request
  host.on_finish(t0() + milliseconds(10));
  host.on_success();
  EXPECT_FALSE(host.ready(t0() + milliseconds(1009)));
  EXPECT_TRUE(host.ready(t0() + milliseconds(1010)));
}

TEST(Politeness, GapIsMeasuredFromWhenTheServerSurelyHadTheRequest) {
  HostPoliteness host(rules_with_delay(100));
  host.on_start(t0());
  // The answer began at t0+40 (a slow connect): the next may start at 140.
  host.on_finish(t0() + milliseconds(40));
  EXPECT_FALSE(host.ready(t0() + milliseconds(139)));
  EXPECT_TRUE(host.ready(t0() + milliseconds(140)));
}

TEST(Politeness, ALongBodyDoesNotLengthenTheGap) {
  HostPoliteness host(rules_with_delay(100));
  host.on_start(t0());
  host.on_finish(t0());
  EXPECT_EQ(host.next_start(), t0() + milliseconds(100));
  host.on_start(t0() + milliseconds(100));
  host.on_finish(t0() + milliseconds(100));  // a first byte at once, the rest later: no matter
  EXPECT_TRUE(host.ready(t0() + milliseconds(200)));
}

TEST(Politeness, CrawlDelayRaisesTheDelayUpToTheCap) {
  HostPoliteness host(rules_with_delay(1000));
  host.set_crawl_delay(5.0);
  EXPECT_EQ(host.delay(), Millis(5000));
  host.set_crawl_delay(0.25);  // below the site's own delay: the site's wins
  EXPECT_EQ(host.delay(), Millis(1000));
  host.set_crawl_delay(3600.0);  // capped
  EXPECT_EQ(host.delay(), Millis(30000));
  host.set_crawl_delay(std::nullopt);
  EXPECT_EQ(host.delay(), Millis(1000));
  host.set_crawl_delay(-3.0);
  EXPECT_EQ(host.delay(), Millis(1000));
}

TEST(Politeness, SitesSharingAHostGetThePoliterRules) {
  PolitenessRules none;
  none.delay = Millis(0);
  none.max_crawl_delay = Millis(0);
  HostPoliteness host(none);
  host.set_crawl_delay(10.0);
  EXPECT_EQ(host.delay(), Millis(0));  // no site yet: a zero cap
  host.add_site_rules(Millis(200), Millis(2000));
  EXPECT_EQ(host.delay(), Millis(2000));  // Crawl-delay 10 s, capped by the site at 2 s
  host.add_site_rules(Millis(50), Millis(5000));
  EXPECT_EQ(host.delay(), Millis(5000));  // the larger delay and the larger cap
  host.add_site_rules(Millis(8000), Millis(1000));
  EXPECT_EQ(host.delay(), Millis(8000));
}

TEST(Politeness, BackoffDoublesPausesAndGivesUp) {
  HostPoliteness host(rules_with_delay(1000));
  SteadyTime now = t0();
  EXPECT_EQ(host.on_transient_failure(now), Millis(2000));
  EXPECT_EQ(host.on_transient_failure(now), Millis(4000));
  EXPECT_EQ(host.on_transient_failure(now), Millis(8000));
  EXPECT_FALSE(host.ready(now + Millis(7999)));
  EXPECT_TRUE(host.ready(now + Millis(8000)));
  // From the fourth failure in a row the host pauses for the whole cap.
  EXPECT_EQ(host.on_transient_failure(now), Millis(60000));
  EXPECT_FALSE(host.gave_up());
  EXPECT_EQ(host.on_transient_failure(now), Millis(60000));
  EXPECT_EQ(host.on_transient_failure(now), Millis(60000));
  EXPECT_TRUE(host.gave_up());
  EXPECT_FALSE(host.ready(now + std::chrono::hours(10)));
}

TEST(Politeness, SuccessEndsTheStreak) {
  HostPoliteness host(rules_with_delay(100));
  host.on_transient_failure(t0());
  host.on_transient_failure(t0());
  host.on_success();
  EXPECT_EQ(host.failure_streak(), 0);
  EXPECT_EQ(host.on_transient_failure(t0()), Millis(200));
}

TEST(Politeness, BackoffNeverOverflowsWithAHugeStreak) {
  PolitenessRules rules = rules_with_delay(1000);
  rules.pause_after_failures = 1000;
  rules.give_up_after_failures = 2000;
  HostPoliteness host(rules);
  Millis wait{0};
  for (int i = 0; i < 500; ++i) wait = host.on_transient_failure(t0());
  EXPECT_EQ(wait, Millis(60000));
}

TEST(Politeness, RetryAfterIsHonouredButNeverShortensTheGap) {
  HostPoliteness host(rules_with_delay(1000));
  host.on_start(t0());
  host.on_finish(t0());
  host.on_retry_after(t0(), Millis(3000));
  EXPECT_FALSE(host.ready(t0() + Millis(2999)));
  EXPECT_TRUE(host.ready(t0() + Millis(3000)));
  HostPoliteness other(rules_with_delay(1000));
  other.on_start(t0());
  other.on_finish(t0());
  other.on_retry_after(t0(), Millis(0));  // "Retry-After: 0" still waits for the delay
  EXPECT_FALSE(other.ready(t0() + Millis(999)));
}

TEST(RetryAfter, DeltaSeconds) {
  WallTime now = std::chrono::system_clock::now();
  EXPECT_EQ(parse_retry_after("120", now), Millis(120000));
  EXPECT_EQ(parse_retry_after("  0 ", now), Millis(0));
  EXPECT_EQ(parse_retry_after("99999999999999999999", now), Millis(24LL * 3600 * 1000));
  EXPECT_EQ(parse_retry_after("-5", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", now), std::nullopt);
}

TEST(RetryAfter, HttpDateInAllThreeForms) {
  WallTime now = *parse_utc("2015-10-21T07:27:00.000Z");
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Millis(60000));
  EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", now), Millis(60000));
  EXPECT_EQ(parse_retry_after("Wed Oct 21 07:28:00 2015", now), Millis(60000));
  // In the past: no wait. Far future: clamped to a day.
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Millis(0));
  EXPECT_EQ(parse_retry_after("Fri, 21 Oct 2033 07:28:00 GMT", now), Millis(24LL * 3600 * 1000));
  EXPECT_EQ(parse_retry_after("Wed, 99 Foo 2015 07:28:00 GMT", now), std::nullopt);
}

}  // namespace
}  // namespace provarc
