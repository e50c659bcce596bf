// Tests for the fixture web itself (tests/support/fixture_web.h): the crawler tests rely on its
// routes, its request log and its hostile answers behaving as described.
#include "tests/support/fixture_web.h"

#include <thread>

#include <gtest/gtest.h>

#include "tests/support/http_get.h"
#include "tests/support/paths.h"

namespace provarc::testing {
namespace {

// One plain GET, decoding gzip, following nothing.
Fetched get(const std::string& url, const std::string& header = "", long timeout_ms = 5000) {
  return http_get(url, header, timeout_ms);
}

TEST(FixtureWeb, ServesRoutesInTurnAndLogsEveryRequest) {
  FixtureWeb web;
  FixtureHost& host = web.add_host("a");
  FixtureResponse busy;
  busy.status = 503;
  busy.headers.push_back({"Retry-After", "7"});
  FixtureResponse ok;
  ok.body = "<p>ok</p>";
  host.set_route("/x?y=1", Route{{busy, ok}});
  EXPECT_EQ(get(host.url("/x?y=1")).status, 503);
  Fetched second = get(host.url("/x?y=1"), "User-Agent: tester/1");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "<p>ok</p>");
  EXPECT_EQ(get(host.url("/x?y=1")).status, 200);  // the last answer repeats
  EXPECT_EQ(get(host.url("/nothing")).status, 404);
  auto log = web.requests_to(host);
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0].target, "/x?y=1");
  EXPECT_EQ(log[0].status, 503);
  EXPECT_EQ(log[1].user_agent, "tester/1");
  EXPECT_EQ(log[3].status, 404);
  for (size_t i = 1; i < log.size(); ++i) EXPECT_LE(log[i - 1].arrived, log[i].arrived);
  EXPECT_EQ(web.count(host, "/x?y=1"), 3);
}

TEST(FixtureWeb, HostsAreSeparatePortsWithOneLog) {
  FixtureWeb web;
  FixtureHost& a = web.add_host("a");
  FixtureHost& b = web.add_host("b");
  EXPECT_NE(a.port(), b.port());
  a.set_page("/", "a");
  b.set_page("/", "b");
  EXPECT_EQ(get(a.url("/")).body, "a");
  EXPECT_EQ(get(b.url("/")).body, "b");
  EXPECT_EQ(web.requests().size(), 2u);
  EXPECT_EQ(web.requests_to(b).size(), 1u);
  EXPECT_EQ(web.requests_to(b)[0].host, "b");
  web.clear_log();
  EXPECT_TRUE(web.requests().empty());
}

TEST(FixtureWeb, RedirectsConditionalAnswersAndDynamicRoutes) {
  FixtureWeb web;
  FixtureHost& host = web.add_host("a");
  host.set_redirect("/old", "/new", 301);
  Fetched moved = get(host.url("/old"));
  EXPECT_EQ(moved.status, 301);
  EXPECT_NE(moved.headers.find("Location: /new"), std::string::npos);
  Route tagged{{FixtureResponse{200, "text/html", "v1", {}}}};
  tagged.etag = "\"v1\"";
  host.set_route("/tagged", tagged);
  EXPECT_EQ(get(host.url("/tagged")).status, 200);
  EXPECT_EQ(get(host.url("/tagged"), "If-None-Match: \"v1\"").status, 304);
  EXPECT_EQ(get(host.url("/tagged"), "If-None-Match: \"v0\"").status, 200);
  host.add_dynamic(resource_route());
  Fetched image = get(host.url("/anh/x.JPG?w=1"));
  EXPECT_EQ(image.status, 200);
  EXPECT_NE(image.headers.find("image/jpeg"), std::string::npos);
  EXPECT_EQ(get(host.url("/page.html")).status, 404);
}

TEST(FixtureWeb, GzipOfZerosInflatesToExactlyThatManyZeros) {
  for (size_t size : {size_t(0), size_t(1), size_t(257), size_t(258), size_t(259), size_t(100000)}) {
    FixtureWeb web;
    FixtureHost& host = web.add_host("a");
    FixtureResponse bomb;
    bomb.body = gzip_of_zeros(size);
    bomb.content_type = "text/html";
    bomb.headers.push_back({"Content-Encoding", "gzip"});
    host.set_route("/bomb", Route{{bomb}});
    Fetched f = get(host.url("/bomb"));
    ASSERT_EQ(f.code, CURLE_OK) << size << ": " << curl_easy_strerror(f.code);
    EXPECT_EQ(f.body, std::string(size, '\0')) << size;
  }
  // The ratio that makes it a bomb: 64 MiB in well under 1 MiB.
  EXPECT_LT(gzip_of_zeros(64u << 20).size(), 1u << 20);
}

TEST(FixtureWeb, SlowResetAndStop) {
  FixtureWeb web;
  FixtureHost& host = web.add_host("a", /*abortive_close=*/true);
  Route slow{{FixtureResponse{200, "text/html", "late", {}}}};
  slow.delay_ms = 2000;
  host.set_route("/slow", slow);
  Fetched timed_out = get(host.url("/slow"), "", 300);
  EXPECT_EQ(timed_out.code, CURLE_OPERATION_TIMEDOUT);
  Route reset{{FixtureResponse{200, "text/html", std::string(10000, 'r'), {}}}};
  reset.reset = true;
  host.set_route("/reset", reset);
  Fetched broken = get(host.url("/reset"));
  EXPECT_NE(broken.code, CURLE_OK);
  EXPECT_LT(broken.body.size(), 10000u);
  // A slow handler does not hold up stop().
  std::thread client([&] { get(host.url("/slow"), "", 5000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto before = std::chrono::steady_clock::now();
  web.stop();
  client.join();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(1500));
}

TEST(FixtureWeb, NewsSiteFromFixturesAndGeneratedArticles) {
  FixtureWeb web;
  FixtureHost& host = web.add_host("news");
  auto targets = add_news_site(host, fixture_path("bac-kan"), 7, 3);
  ASSERT_EQ(targets.size(), 7u);
  EXPECT_EQ(targets.back(), "/tin-tuc/bai-viet-7.html");
  Fetched page2 = get(host.url("/tin-tuc/?page=2"));
  EXPECT_EQ(page2.status, 200);
  EXPECT_NE(page2.body.find(targets[3]), std::string::npos);
  EXPECT_NE(page2.body.find("/tin-tuc/?page=3"), std::string::npos);
  EXPECT_EQ(get(host.url("/tin-tuc/?page=4")).status, 404);
  for (const std::string& t : targets) EXPECT_EQ(get(host.url(t)).status, 200) << t;
}

}  // namespace
}  // namespace provarc::testing
