// Tests of `provarc crawl` on a site nobody configured for its print and mobile twins or its day
// calendar (issue 12, the second held-out web's trap2-aspnet and trap2-sharepoint): the real binary
// against a site on 127.0.0.1, into a real archive. The site file's article pattern is unanchored,
// as a new user writes it from `sites try`, so twins and calendar days match it.
//  - A mobile twin (/m/...) and a print twin (/in/...) of an article, with no canonical link, are
//    recorded as aliases of it (marker and content both), not articles.
//  - A page at a twin path whose article has the same title but another body stays an article;
//    so do a same-title page and a same-content page at unmarked paths: content equality or a
//    marker alone merges nothing.
//  - A day calendar (?ngay=YYYY-MM-DD linking the day before and after) registers no article,
//    costs at most 1 + kStepBudget requests, and its refusals are counted under "calendar".
#include <chrono>
#include <cstdio>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crawler/trap_guards.h"
#include "tests/support/archive_sql.h"
#include "tests/support/crawl_test_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/paths.h"

namespace provarc::testing {
namespace {

std::string article_html(const std::string& title, const std::string& body,
                         const std::string& side_links) {
  return "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head><body><header><nav><a href=\"/\">Trang chủ</a> <a href=\"/tin-tuc/\">"
         "Tin tức</a></nav></header><main><article><h1>" + title + "</h1>"
         "<p class=\"date\">Ngày đăng: 12/04/2023</p><p>" + body + "</p>"
         "<p>Hội nghị đã thảo luận các nhiệm vụ trọng tâm trong thời gian tới, trong đó có chuyển "
         "đổi số, an toàn thông tin và phát triển hạ tầng viễn thông trên địa bàn tỉnh.</p>"
         "<p>Nguyễn Văn A</p></article></main><aside>" + side_links + "</aside>"
         "<footer>Cơ quan chủ quản: Sở TT&amp;TT</footer></body></html>";
}

// "2026-12-07" moved by `days` (any number of them: the calendar page searches 200 days ahead;
// a table of four months once read past its end there, which only UBSan saw).
std::string day_after(int days) {
  using namespace std::chrono;
  const year_month_day day{sys_days{year{2026} / December / 7} + std::chrono::days{days}};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

class CrawlTwinsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = &web_.add_host("twins");
    host_->set_route("/robots.txt", Route({FixtureResponse{200, "text/plain", "User-agent: *\n"
                                                                              "Disallow:\n", {}}}));
    const std::string calendar = "<a href=\"/tin-tuc/lich-cong-tac.html?ngay=2026-12-07\">"
                                 "Lịch công tác</a>";
    host_->set_page("/", "<html><body><a href=\"/tin-tuc/\">Tin tức</a>" + calendar +
                             "</body></html>");
    host_->set_page("/tin-tuc/",
                    "<html><head><title>Tin tức</title></head><body><ul>"
                    "<li><a href=\"/tin-tuc/hoi-nghi-chuyen-doi-so.html\">Một</a></li>"
                    "<li><a href=\"/tin-tuc/tap-huan-an-toan.html\">Hai</a></li>"
                    "<li><a href=\"/tin-tuc/le-ky-niem.html\">Ba</a></li></ul>" + calendar +
                    "</body></html>");
    // The first article links its mobile and print twins: the same page at other paths.
    const std::string one = article_html(
        "Hội nghị chuyển đổi số năm 2026",
        "Ngày 06/4/2023, Sở tổ chức hội nghị chuyển đổi số với các sở, ngành.",
        "<a href=\"/m/tin-tuc/hoi-nghi-chuyen-doi-so.html\">Phiên bản di động</a> "
        "<a href=\"/in/tin-tuc/hoi-nghi-chuyen-doi-so.html\">In bài viết</a>");
    host_->set_page("/tin-tuc/hoi-nghi-chuyen-doi-so.html", one);
    host_->set_page("/m/tin-tuc/hoi-nghi-chuyen-doi-so.html", one);
    host_->set_page("/in/tin-tuc/hoi-nghi-chuyen-doi-so.html", one);
    // The same page at an unmarked path (a republication under another slug): content equality
    // alone is one signal, so it stays an article of its own.
    host_->set_page("/tin-tuc/hoi-nghi-chuyen-doi-so-2026.html", one);
    // The second article's "mobile" page has its title but another body: another article. So has
    // a page at an unmarked path with its title.
    host_->set_page("/tin-tuc/tap-huan-an-toan.html",
                    article_html("Tập huấn an toàn thông tin",
                                 "Sở tổ chức lớp tập huấn an toàn thông tin cho cán bộ.",
                                 "<a href=\"/m/tin-tuc/tap-huan-an-toan.html\">Phiên bản di động"
                                 "</a> <a href=\"/tin-tuc/tap-huan-an-toan-dot-2.html\">Đợt 2</a>"));
    host_->set_page("/m/tin-tuc/tap-huan-an-toan.html",
                    article_html("Tập huấn an toàn thông tin",
                                 "Lớp tập huấn đợt hai dành cho các huyện, thị xã.", ""));
    host_->set_page("/tin-tuc/tap-huan-an-toan-dot-2.html",
                    article_html("Tập huấn an toàn thông tin",
                                 "Lớp tập huấn đợt ba dành cho các trường học.", ""));
    host_->set_page("/tin-tuc/le-ky-niem.html",
                    article_html("Lễ kỷ niệm ngày thành lập ngành",
                                 "Sở tổ chức lễ kỷ niệm ngày thành lập ngành Thông tin.",
                                 "<a href=\"/tin-tuc/hoi-nghi-chuyen-doi-so-2026.html\">Hội nghị"
                                 "</a>"));
    // The calendar: any day, linking the day before and after, listing-shaped, with a link to an
    // article of the site.
    host_->add_dynamic([](const std::string& target) -> std::optional<FixtureResponse> {
      const std::string prefix = "/tin-tuc/lich-cong-tac.html?ngay=";
      if (target.rfind(prefix, 0) != 0) return std::nullopt;
      const std::string day = target.substr(prefix.size());
      int offset = 0;
      for (; offset < 200 && day_after(offset) != day; ++offset) {}
      if (offset == 200) {
        for (offset = -1; offset > -30 && day_after(offset) != day; --offset) {}
      }
      FixtureResponse page;
      page.body = "<html><head><title>Lịch công tác ngày " + day + "</title></head><body>"
                  "<h1>Lịch công tác ngày " + day + "</h1><table><tr><td>Thứ Hai</td><td>Giao "
                  "ban Sở</td></tr></table><a href=\"/tin-tuc/le-ky-niem.html\">Lễ kỷ niệm</a> "
                  "<a href=\"" + prefix + day_after(offset - 1) + "\">&laquo; Hôm trước</a> | "
                  "<a href=\"" + prefix + day_after(offset + 1) + "\">Hôm sau &raquo;</a>"
                  "</body></html>";
      return page;
    });
    write_test_site(config_dir_, "twins", {host_->authority()},
                    "delay = \"20ms\"\n"
                    "listing_urls = [\"http://" + host_->authority() + "/tin-tuc/\"]\n"
                    "article_url_patterns = ['/tin-tuc/[a-z0-9-]+\\.html']\n"
                    "connect_timeout = \"2s\"\n"
                    "[extract]\nbody = ['article']\ntitle = ['h1']\ndate = ['.date']\n");
  }

  RunResult crawl() {
    return run_command({provarc_binary(), "--config", config_dir_, "--db", db_, "crawl", "--all",
                        "--max-time", "60s", "--report", dir_ + "/report.json"});
  }

  std::set<std::string> articles() {
    std::set<std::string> urls;
    RunResult out = run_command({provarc_binary(), "--config", config_dir_, "--db", db_, "export",
                                 "--format", "jsonl"});
    EXPECT_EQ(out.exit_code, 0) << out.err;
    size_t start = 0;
    while (start < out.out.size()) {
      size_t end = out.out.find('\n', start);
      if (end == std::string::npos) end = out.out.size();
      if (end > start) {
        auto line = nlohmann::json::parse(out.out.substr(start, end - start), nullptr, false);
        if (line.is_object() && line.contains("url")) urls.insert(line["url"].get<std::string>());
      }
      start = end + 1;
    }
    return urls;
  }

  int requests_starting(const std::string& prefix) {
    int n = 0;
    for (const RequestRecord& r : web_.requests_to(*host_)) n += r.target.rfind(prefix, 0) == 0;
    return n;
  }

  FixtureWeb web_;
  FixtureHost* host_ = nullptr;
  std::string dir_ = temp_dir();
  std::string config_dir_ = dir_ + "/config";
  std::string db_ = dir_ + "/archive.sqlite";
};

TEST_F(CrawlTwinsTest, TwinsAreAliasesByMarkerAndContentAndCalendarDaysAreNoArticles) {
  RunResult run = crawl();
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const std::string base = "http://" + host_->authority();
  const std::set<std::string> expected = {
      base + "/tin-tuc/hoi-nghi-chuyen-doi-so.html", base + "/tin-tuc/tap-huan-an-toan.html",
      base + "/m/tin-tuc/tap-huan-an-toan.html",     base + "/tin-tuc/tap-huan-an-toan-dot-2.html",
      base + "/tin-tuc/le-ky-niem.html",              base + "/tin-tuc/hoi-nghi-chuyen-doi-so-2026.html"};
  EXPECT_EQ(articles(), expected);
  EXPECT_EQ(count_sql(db_, "SELECT COUNT(*) FROM articles"), 6);

  // The twins are aliases of their article, and the evidence names both signals.
  for (const char* twin : {"/m/tin-tuc/hoi-nghi-chuyen-doi-so.html",
                           "/in/tin-tuc/hoi-nghi-chuyen-doi-so.html"}) {
    EXPECT_EQ(count_sql(db_, "SELECT COUNT(*) FROM aliases WHERE url = '" + base + twin +
                                 "' AND canonical_url = '" + base +
                                 "/tin-tuc/hoi-nghi-chuyen-doi-so.html' AND evidence LIKE "
                                 "'%path segment%' AND evidence LIKE '%same article%'"),
              1)
        << twin;
  }
  EXPECT_EQ(count_sql(db_, "SELECT COUNT(*) FROM aliases WHERE url LIKE '%tap-huan%'"), 0);

  // The calendar: its first day and kStepBudget more, never an article, the rest refused.
  EXPECT_GE(requests_starting("/tin-tuc/lich-cong-tac.html"), 1);
  EXPECT_LE(requests_starting("/tin-tuc/lich-cong-tac.html"), 1 + kStepBudget);
  EXPECT_EQ(count_sql(db_, "SELECT COUNT(*) FROM articles WHERE url LIKE '%lich-cong-tac%'"), 0);
  auto report = nlohmann::json::parse(read_file(dir_ + "/report.json"), nullptr, false);
  ASSERT_TRUE(report.is_object());
  EXPECT_GE(report.dump().find("\"calendar\":"), 0u);
  int64_t refused = -1;
  for (const auto& site : report["sites"]) {
    if (site.value("site", "") == "twins") refused = site["guards"].value("calendar", -1);
  }
  EXPECT_GE(refused, 1) << report.dump(2);
  // Every article page was fetched once: the twins after it, never instead of it.
  EXPECT_EQ(web_.count(*host_, "/tin-tuc/hoi-nghi-chuyen-doi-so.html"), 1);
}

}  // namespace
}  // namespace provarc::testing
