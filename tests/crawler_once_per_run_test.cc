// Tests that the crawler handles each URL at most once per run although it keeps no set of the
// URLs it saw (the frontier remembers them; see Crawl::discover): pages that link each other, an
// always-stale revisit interval, and a URL robots.txt refuses linked from every page.
#include "crawler/crawler.h"

#include <gtest/gtest.h>

#include "tests/support/crawl_test_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/memory_crawl_store.h"
#include "tests/support/paths.h"

namespace provarc::testing {
namespace {

using std::chrono::milliseconds;

FixtureResponse text(const std::string& body) {
  FixtureResponse r;
  r.content_type = "text/plain";
  r.body = body;
  return r;
}

std::string links_to(const std::vector<std::string>& targets) {
  std::string out;
  for (const std::string& t : targets) out += "<a href=\"" + t + "\">" + t + "</a> ";
  return out;
}

std::string article(int n, const std::vector<std::string>& links) {
  return "<!DOCTYPE html><html><head><title>Bài " + std::to_string(n) + "</title></head><body>"
         "<article><h1>Bài " + std::to_string(n) + "</h1><p>Ngày đăng: 12/04/2023</p>"
         "<p>Nội dung bài viết số " + std::to_string(n) + " về chuyển đổi số.</p></article>" +
         links_to(links) + "</body></html>";
}

class OncePerRunTest : public ::testing::Test {
 protected:
  CrawlOptions options() {
    CrawlOptions o;
    // A crawler that forgot what it fetched would go round the links until this limit.
    o.max_time = milliseconds(20000);
    return o;
  }

  SiteConfig site(const FixtureHost& host) {
    write_test_site(config_dir_, "s", {host.authority()},
                    news_crawl_toml(host.authority(), 5,
                                    "fetch_images = false\nfetch_attachments = false\n"));
    SiteConfig config = load_test_site(config_dir_, "s");
    config.crawl.revisit_interval_ms = 0;  // every known page is stale at every pass
    return config;
  }

  int64_t requests_for(const FixtureHost& host, const std::string& target) {
    return web_.count(host, target);
  }

  FixtureWeb web_;
  std::string config_dir_ = temp_dir();
};

TEST_F(OncePerRunTest, PagesThatLinkEachOtherAreFetchedOncePerPass) {
  FixtureHost& host = web_.add_host("h");
  host.set_route("/robots.txt", Route({text("User-agent: *\nDisallow:\n")}));
  std::vector<std::string> articles;
  for (int n = 1; n <= 5; ++n) articles.push_back("/tin-tuc/bai-" + std::to_string(n) + ".html");
  std::vector<std::string> everything = articles;
  everything.push_back("/");
  everything.push_back("/tin-tuc/");
  host.set_page("/", "<html><body>" + links_to(everything) + "</body></html>");
  host.set_page("/tin-tuc/", "<html><body>" + links_to(everything) + "</body></html>");
  for (int n = 1; n <= 5; ++n) host.set_page(articles[n - 1], article(n, everything));
  SiteConfig config = site(host);
  MemoryCrawlStore store({config});

  for (int pass = 1; pass <= 2; ++pass) {
    SCOPED_TRACE("pass " + std::to_string(pass));
    web_.clear_log();
    auto summary = crawl({config}, store, options());
    ASSERT_TRUE(summary.ok()) << summary.error();
    EXPECT_FALSE(summary->time_limit_reached);
    EXPECT_TRUE(summary->sites[0].finished);
    for (const std::string& target : everything) {
      EXPECT_EQ(requests_for(host, target), 1) << target;
    }
  }
}

TEST_F(OncePerRunTest, AUrlRobotsTxtRefusesIsRefusedOnceThoughLinkedFromEveryPage) {
  FixtureHost& host = web_.add_host("h");
  host.set_route("/robots.txt",
                 Route({text("User-agent: *\nDisallow: /tin-tuc/cam.html\n")}));
  // The refused article comes first, so it is refused before the others link it again.
  std::vector<std::string> links = {"/tin-tuc/cam.html"};
  for (int n = 1; n <= 4; ++n) links.push_back("/tin-tuc/bai-" + std::to_string(n) + ".html");
  host.set_page("/", "<html><body>" + links_to({"/tin-tuc/"}) + "</body></html>");
  host.set_page("/tin-tuc/", "<html><body>" + links_to(links) + "</body></html>");
  for (int n = 1; n <= 4; ++n) host.set_page(links[n], article(n, links));
  SiteConfig config = site(host);
  MemoryCrawlStore store({config});

  auto first = crawl({config}, store, options());
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first->sites[0].disallowed, 1);
  EXPECT_EQ(first->sites[0].new_articles, 4);

  // A new pass refuses it at most once more, and never asks the server for it.
  auto second = crawl({config}, store, options());
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_LE(second->sites[0].disallowed, 1);
  EXPECT_EQ(requests_for(host, "/tin-tuc/cam.html"), 0);
  const auto* entry = store.entry("s", host.url("/tin-tuc/cam.html"));
  ASSERT_NE(entry, nullptr);
  EXPECT_NE(entry->error.find("Disallow: /tin-tuc/cam.html"), std::string::npos) << entry->error;
}

}  // namespace
}  // namespace provarc::testing
