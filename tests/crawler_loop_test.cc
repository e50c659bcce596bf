// Tests of the crawl loop (crawler/crawler.h) and fetch_one (crawler/fetch_one.h) on a scripted
// transport: politeness gaps, Retry-After, backoff and robots.txt waits of seconds to minutes,
// asserted to the millisecond on the virtual clock, in milliseconds of real time.
#include "crawler/crawler.h"

#include <gtest/gtest.h>

#include "crawler/fetch_one.h"
#include "tests/support/crawl_test_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/memory_crawl_store.h"
#include "tests/support/paths.h"
#include "tests/support/scripted_transport.h"

namespace provarc::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kHost = "http://so.test";
const Millis kLatency = ScriptedAnswer().latency;

std::string url(const std::string& path) { return kHost + path; }

std::string page_linking(const std::vector<std::string>& paths) {
  std::string out = "<!DOCTYPE html><html><head><title>Trang chủ</title></head><body>";
  for (const std::string& p : paths) out += "<a href=\"" + p + "\">link</a> ";
  return out + "</body></html>";
}

// The gaps between consecutive starts in `starts`.
std::vector<Millis> gaps(const std::vector<SteadyTime>& starts) {
  std::vector<Millis> out;
  for (size_t i = 1; i < starts.size(); ++i) {
    out.push_back(std::chrono::duration_cast<Millis>(starts[i] - starts[i - 1]));
  }
  return out;
}

class LoopTest : public ::testing::Test {
 protected:
  // A site on so.test: its home page links `articles` articles ("/tin-tuc/N.html"), which link
  // the home page and "/tin-tuc/" (an empty page); robots.txt allows everything.
  SiteConfig site(int articles, const std::string& delay = "1s", const std::string& extra = "") {
    std::vector<std::string> links;
    for (int n = 1; n <= articles; ++n) {
      std::string path = "/tin-tuc/" + std::to_string(n) + ".html";
      links.push_back(path);
      std::string title = "Tin " + std::to_string(n);
      net_.script(url(path), html_answer(generated_article_html(title, "", "")));
    }
    net_.script(url("/"), html_answer(page_linking(links)));
    net_.script(url("/tin-tuc/"), html_answer(page_linking({})));
    net_.script(url("/robots.txt"), text_answer("User-agent: *\nDisallow:\n"));
    write_test_site(config_dir_, "so", {"so.test"},
                    "delay = \"" + delay + "\"\n"
                    "article_url_patterns = ['/tin-tuc/[0-9]+\\.html$']\n"
                    "fetch_images = false\nfetch_attachments = false\n" + extra);
    return load_test_site(config_dir_, "so");
  }

  Result<CrawlSummary> run(const SiteConfig& config, CrawlOptions o = {}) {
    o.transport = &net_;
    o.on_log = [this](const std::string& line) { log_ += line + "\n"; };
    sites_ = {config};
    store_ = std::make_unique<MemoryCrawlStore>(sites_);
    auto started = std::chrono::steady_clock::now();
    auto summary = crawl(sites_, *store_, o);
    EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(10)) << "no real waiting";
    return summary;
  }

  ScriptedTransport net_;
  std::string config_dir_ = temp_dir();
  std::vector<SiteConfig> sites_;
  std::unique_ptr<MemoryCrawlStore> store_;
  std::string log_;
};

TEST_F(LoopTest, RequestsToAHostStartTheDelayApartAndNoMore) {
  auto summary = run(site(5, "1s"));
  ASSERT_TRUE(summary.ok()) << summary.error();
  EXPECT_EQ(summary->sites[0].new_articles, 5);
  EXPECT_TRUE(summary->sites[0].finished);
  std::vector<SteadyTime> starts;
  for (const ScriptedRequest& r : net_.requests()) starts.push_back(r.started);
  ASSERT_EQ(starts.size(), 8u) << "robots.txt, the home page, five articles, /tin-tuc/";
  EXPECT_EQ(net_.urls()[0], url("/robots.txt"));
  for (Millis gap : gaps(starts)) {
    // The gap runs from when the server surely had the request (its first byte back), so it is
    // the delay plus the latency; never less, and nothing wasted beyond a millisecond.
    EXPECT_GE(gap, Millis(1000) + kLatency);
    EXPECT_LE(gap, Millis(1001) + kLatency);
  }
  EXPECT_LT(net_.elapsed(), seconds(9));
}

TEST_F(LoopTest, RetryAfterHoldsTheHostForAsLongAsTheServerAsks) {
  SiteConfig config = site(2, "1s");
  net_.script(url("/tin-tuc/1.html"),
              {status_answer(429, "120"), html_answer(generated_article_html("Tin 1", "", ""))});
  auto summary = run(config);
  ASSERT_TRUE(summary.ok()) << summary.error();
  std::vector<SteadyTime> tries = net_.starts_of(url("/tin-tuc/1.html"));
  ASSERT_EQ(tries.size(), 2u);
  EXPECT_GE(tries[1] - tries[0], kLatency + seconds(120));
  EXPECT_LE(tries[1] - tries[0], kLatency + seconds(122)) << "the other article, then the retry";
  // The host waits as a whole: the other article, queued behind, waited too.
  std::vector<SteadyTime> other = net_.starts_of(url("/tin-tuc/2.html"));
  ASSERT_EQ(other.size(), 1u);
  EXPECT_GE(other[0] - tries[0], kLatency + seconds(120));
  EXPECT_EQ(summary->sites[0].retries, 1);
  EXPECT_EQ(summary->sites[0].errors, 1);
  EXPECT_EQ(summary->sites[0].new_articles, 2);
  EXPECT_TRUE(summary->sites[0].finished);
}

TEST_F(LoopTest, ServerErrorsBackOffTwiceTheDelayThenFourTimes) {
  SiteConfig config = site(0, "1s");
  net_.script(url("/"), {status_answer(503), status_answer(500), html_answer(page_linking({}))});
  auto summary = run(config);
  ASSERT_TRUE(summary.ok()) << summary.error();
  std::vector<Millis> between = gaps(net_.starts_of(url("/")));
  ASSERT_EQ(between.size(), 2u);
  // Measured from the answer: 2 x 1 s, then 4 x 1 s (and the retry's 5 ms margin).
  EXPECT_GE(between[0], kLatency + seconds(2));
  EXPECT_LE(between[0], kLatency + seconds(2) + milliseconds(10));
  EXPECT_GE(between[1], kLatency + seconds(4));
  EXPECT_LE(between[1], kLatency + seconds(4) + milliseconds(10));
  EXPECT_EQ(summary->sites[0].retries, 2);
  EXPECT_EQ(summary->sites[0].errors, 2);
  EXPECT_TRUE(summary->sites[0].finished);
}

TEST_F(LoopTest, NothingButRobotsTxtIsAskedWhileItAnswers5xx) {
  SiteConfig config = site(1, "1s");
  net_.script(url("/robots.txt"),
              {status_answer(500), status_answer(503), text_answer("User-agent: *\nDisallow:\n")});
  auto summary = run(config);
  ASSERT_TRUE(summary.ok()) << summary.error();
  std::vector<std::string> urls = net_.urls();
  ASSERT_GE(urls.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(urls.begin(), urls.begin() + 4),
            (std::vector<std::string>{url("/robots.txt"), url("/robots.txt"), url("/robots.txt"),
                                      url("/")}));
  std::vector<Millis> between = gaps(net_.starts_of(url("/robots.txt")));
  ASSERT_EQ(between.size(), 2u);
  EXPECT_GE(between[0], kLatency + seconds(2));
  EXPECT_GE(between[1], kLatency + seconds(4));
  EXPECT_LE(between[1], kLatency + seconds(4) + milliseconds(10));
  EXPECT_EQ(summary->sites[0].new_articles, 1);
  EXPECT_NE(log_.find("HTTP 503: robots.txt unreachable"), std::string::npos) << log_;
  EXPECT_NE(log_.find("until robots.txt answers"), std::string::npos) << log_;
}

TEST_F(LoopTest, A429RobotsTxtHoldsTheSiteForItsRetryAfterAsFetchOneDoes) {
  SiteConfig config = site(1, "1s");
  std::vector<ScriptedAnswer> robots = {status_answer(429, "60"),
                                        text_answer("User-agent: *\nDisallow:\n")};
  net_.script(url("/robots.txt"), robots);
  auto summary = run(config);
  ASSERT_TRUE(summary.ok()) << summary.error();
  std::vector<SteadyTime> asked = net_.starts_of(url("/robots.txt"));
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_GE(asked[1] - asked[0], kLatency + seconds(60)) << "the server's Retry-After";
  EXPECT_EQ(net_.urls()[2], url("/")) << "nothing else before robots.txt answered";
  EXPECT_EQ(summary->sites[0].new_articles, 1);

  // fetch_one reads the same answer the same way: nothing may be fetched.
  ScriptedTransport alone;
  alone.script(url("/robots.txt"), robots);
  auto one = fetch_one(config, url("/tin-tuc/1.html"), alone);
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.error().find("HTTP 429: too many requests: robots.txt unreachable"),
            std::string::npos)
      << one.error();
  EXPECT_EQ(alone.urls(), (std::vector<std::string>{url("/robots.txt")}));
}

TEST_F(LoopTest, TheTimeLimitIsKeptOnTheTransportsClock) {
  SiteConfig config = site(30, "1s");
  CrawlOptions o;
  o.max_time = seconds(5);
  auto summary = run(config, o);
  ASSERT_TRUE(summary.ok()) << summary.error();
  EXPECT_TRUE(summary->time_limit_reached);
  EXPECT_EQ(summary->sites[0].stop_reason, "time limit");
  EXPECT_FALSE(summary->sites[0].finished);
  // One request a second (plus latency) for five seconds: robots.txt, home and three articles.
  EXPECT_EQ(net_.requests().size(), 5u);
  EXPECT_EQ(summary->sites[0].new_articles, 3);
}

TEST_F(LoopTest, FetchOneFollowsRobotsRedirectsAndWaitsTheDelayOnTheClock) {
  SiteConfig config = site(1, "3s");
  net_.script(url("/robots.txt"), redirect_answer("http://cdn.test/so/robots.txt"));
  net_.script("http://cdn.test/so/robots.txt",
              text_answer("User-agent: *\nDisallow: /private\nCrawl-delay: 5\n"));
  auto one = fetch_one(config, url("/tin-tuc/1.html"), net_);
  ASSERT_TRUE(one.ok()) << one.error();
  EXPECT_EQ(one->robots, "allowed by http://cdn.test/so/robots.txt (no matching rule)");
  EXPECT_EQ(one->capture.status, 200);
  EXPECT_EQ(one->capture.site, "so");
  std::vector<SteadyTime> page = net_.starts_of(url("/tin-tuc/1.html"));
  std::vector<SteadyTime> robots = net_.starts_of("http://cdn.test/so/robots.txt");
  ASSERT_EQ(page.size(), 1u);
  ASSERT_EQ(robots.size(), 1u);
  EXPECT_GE(page[0] - robots[0], kLatency + seconds(5)) << "Crawl-delay 5 s over the site's 3 s";

  auto refused = fetch_one(config, url("/private/x"), net_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("disallowed by http://cdn.test/so/robots.txt line 2"),
            std::string::npos)
      << refused.error();
  EXPECT_EQ(net_.count(url("/private/x")), 0);
}

}  // namespace
}  // namespace provarc::testing
