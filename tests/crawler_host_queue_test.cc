// Tests for crawler/host_queue.h: one queue per authority, when the next of them may start, and
// leaving a host.
#include "crawler/host_queue.h"

#include <gtest/gtest.h>

namespace provarc {
namespace {

using std::chrono::milliseconds;

PolitenessRules no_delay() {
  PolitenessRules rules;
  rules.delay = milliseconds(0);
  rules.max_crawl_delay = milliseconds(0);
  return rules;
}

Task task(const std::string& url, size_t site = 0) {
  Task t;
  t.item.url = url;
  t.site = site;
  return t;
}

TEST(HostQueues, OneQueuePerAuthorityMadeOnFirstUse) {
  HostQueues hosts(no_delay());
  EXPECT_EQ(hosts.find("a.vn"), nullptr);
  HostQueue& a = hosts.at("a.vn");
  EXPECT_EQ(&hosts.at("a.vn"), &a);
  EXPECT_EQ(hosts.find("a.vn"), &a);
  EXPECT_EQ(a.authority, "a.vn");
  HostQueue& b = hosts.at("a.vn:8080");
  EXPECT_NE(&a, &b) << "the port is part of the authority";
  std::vector<std::string> order;
  for (auto& [authority, host] : hosts) order.push_back(authority);
  EXPECT_EQ(order, (std::vector<std::string>{"a.vn", "a.vn:8080"}));
}

TEST(HostQueues, SitesSharingAHostGetThePoliterDelay) {
  HostQueues hosts(no_delay());
  HostQueue& host = hosts.at("a.vn");
  CrawlRules slow;
  slow.delay_ms = 2000;
  CrawlRules fast;
  fast.delay_ms = 100;
  host.add_site(fast);
  host.add_site(slow);
  host.add_site(fast);
  EXPECT_EQ(host.politeness.delay(), milliseconds(2000));
}

TEST(HostQueues, TheNextStartIsTheEarliestOfHostsWithWork) {
  HostQueues hosts(no_delay());
  const SteadyTime t0 = SteadyTime() + std::chrono::hours(1);
  const SteadyTime limit = t0 + milliseconds(250);
  CrawlRules rules;
  rules.delay_ms = 100;
  HostQueue& a = hosts.at("a.vn");
  HostQueue& b = hosts.at("b.vn");
  a.add_site(rules);
  b.add_site(rules);
  EXPECT_EQ(hosts.next_start(limit), limit) << "no host has work";

  a.politeness.on_start(t0);
  a.politeness.on_finish(t0 + milliseconds(30));
  a.tasks.push_back(task("http://a.vn/1"));
  EXPECT_TRUE(a.has_work());
  EXPECT_EQ(hosts.next_start(limit), t0 + milliseconds(130));

  b.politeness.on_start(t0);  // busy: its start does not count until it finishes
  b.tasks.push_back(task("http://b.vn/1"));
  EXPECT_FALSE(b.has_work());
  EXPECT_EQ(hosts.next_start(limit), t0 + milliseconds(130));
  a.waiting_for_robots = true;
  EXPECT_EQ(hosts.next_start(limit), limit) << "a waits for a robots.txt fetched elsewhere";
  EXPECT_EQ(hosts.next_start(t0), t0) << "never later than the limit";
}

TEST(HostQueues, AbandoningAHostHandsBackWhatItHeld) {
  HostQueues hosts(no_delay());
  HostQueue& host = hosts.at("a.vn");
  host.tasks.push_back(task("http://a.vn/1", 0));
  host.tasks.push_back(task("http://a.vn/2", 1));
  host.robots_fetches.push_back({"http://b.vn", "http://a.vn/b-robots.txt", 1, 1});
  HostQueues::Abandoned left = HostQueues::abandon(host);
  EXPECT_TRUE(host.abandoned);
  EXPECT_FALSE(host.has_work());
  EXPECT_TRUE(host.tasks.empty());
  EXPECT_TRUE(host.robots_fetches.empty());
  ASSERT_EQ(left.tasks.size(), 2u);
  EXPECT_EQ(left.tasks[1].item.url, "http://a.vn/2");
  EXPECT_EQ(left.tasks[1].site, 1u);
  ASSERT_EQ(left.robots_fetches.size(), 1u);
  EXPECT_EQ(left.robots_fetches[0].origin, "http://b.vn");
}

}  // namespace
}  // namespace provarc
