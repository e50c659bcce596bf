// The web reader (web/reader.h) in process, over the reader's test archive, asked with an HTTP
// client: its pages, what they escape, and the headers every kind of response carries.
#include "web/reader.h"

#include <httplib.h>

#include <gtest/gtest.h>

#include <set>

#include "archive/archive.h"
#include "tests/fuzz/targets.h"
#include "tests/support/paths.h"
#include "tests/support/reader_archive.h"

namespace provarc::testing {
namespace {

const char kReaderPolicy[] =
    "default-src 'none'; img-src 'self'; style-src 'self'; frame-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

class WebReaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    built_ = new ReaderArchive(build_reader_archive(temp_dir()));
    web::ReaderOptions options;
    options.db_path = built_->db_path;
    options.listen.port = 0;
    Result<std::unique_ptr<web::Reader>> reader = web::Reader::start(options);
    ASSERT_TRUE(reader.ok()) << reader.error();
    reader_ = reader->release();
  }
  static void TearDownTestSuite() {
    delete reader_;
    delete built_;
  }

  // GETs `path` from the reader.
  httplib::Result get(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client(reader_->url().substr(0, reader_->url().size() - 1));
    client.set_read_timeout(20, 0);
    client.set_url_encode(false);  // sent as written: "q=dong+thap" as a browser's form sends it
    return client.Get(path.c_str(), headers);
  }

  static ReaderArchive* built_;
  static web::Reader* reader_;
};

ReaderArchive* WebReaderTest::built_ = nullptr;
web::Reader* WebReaderTest::reader_ = nullptr;

std::string id(int64_t n) { return std::to_string(n); }

TEST_F(WebReaderTest, TheSitesPageListsCountsAndTheTemplateAlarm) {
  auto res = get("/");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(res->body.find("<a href=\"/site/dong-thap\">dong-thap</a>"), std::string::npos);
  EXPECT_NE(res->body.find("⚠ có thể đã đổi"), std::string::npos) << "thu-nghiem's alarm";
  EXPECT_NE(res->body.find("<html lang=\"vi\">"), std::string::npos);
}

TEST_F(WebReaderTest, ReaderPagesForbidScriptsFramesAndOutsideRequests) {
  for (const std::string& path : std::vector<std::string>{
           "/", "/site/dong-thap", "/article/" + id(built_->edited_article),
        "/article/" + id(built_->edited_article) + "/diff", "/runs",
        "/capture/" + id(built_->hostile_capture), "/no-such-page", "/article/999999",
        "/search?q=dong+thap", "/search?q=%22"}) {
    auto res = get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->get_header_value("Content-Security-Policy"), kReaderPolicy) << path;
    EXPECT_EQ(res->get_header_value_count("Content-Security-Policy"), 1u) << path;
    EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer") << path;
    EXPECT_EQ(res->body.find("<script"), std::string::npos) << path;
  }
}

TEST_F(WebReaderTest, AnHtmlTitleAndAScriptInTheTextAreShownAsText) {
  auto res = get("/article/" + id(built_->hostile_article));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("<h1>&lt;img src=x onerror=alert(1)&gt;</h1>"), std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("&lt;script&gt;alert(&quot;thân bài&quot;)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_EQ(res->body.find("<img src=x"), std::string::npos);
  EXPECT_EQ(res->body.find("<script>"), std::string::npos);
  // Its image is served from the archive; the untracked one is named, never linked.
  EXPECT_NE(res->body.find("<img src=\"/raw/" + id(built_->image_capture) + "\""),
            std::string::npos);
}

TEST_F(WebReaderTest, TheDiffMarksTheAddedSentence) {
  auto res = get("/article/" + id(built_->edited_article) + "/diff?from=1&to=2");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find(std::string("<ins> ") + kAddedSentence + "</ins>"), std::string::npos)
      << res->body;
  EXPECT_EQ(res->body.find("<del>"), res->body.find("<del>Phần bị xoá</del>"))
      << "nothing was deleted but the legend's example";
  // The default is the last two versions.
  auto fallback = get("/article/" + id(built_->edited_article) + "/diff");
  ASSERT_TRUE(fallback);
  EXPECT_NE(fallback->body.find(kAddedSentence), std::string::npos);
  EXPECT_EQ(get("/article/" + id(built_->edited_article) + "/diff?from=1&to=7")->status, 404);
}

TEST_F(WebReaderTest, ASitesArticlesByDateLinkToThem) {
  auto res = get("/site/dong-thap");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("<a href=\"/article/" + id(built_->dong_thap_article) + "\">"),
            std::string::npos);
  EXPECT_NE(res->body.find("Tháng "), std::string::npos);
  EXPECT_EQ(get("/site/khong-co")->status, 404);
}

TEST_F(WebReaderTest, AnArticleShowsItsVersionsAndWhereItWasFetched) {
  auto res = get("/article/" + id(built_->edited_article));
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find(kAddedSentence), std::string::npos) << "the latest version";
  EXPECT_NE(res->body.find("https://stttt.dongthap.gov.vn/"), std::string::npos);
  EXPECT_NE(res->body.find("diff?from=1&amp;to=2"), std::string::npos);
  auto first = get("/article/" + id(built_->edited_article) + "?version=1");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body.find(kAddedSentence), std::string::npos) << "version 1 lacks it";
  EXPECT_NE(first->body.find("không phải bản mới nhất"), std::string::npos);
}

TEST_F(WebReaderTest, TheCapturePageFramesTheArchivedPageInASandbox) {
  auto res = get("/capture/" + id(built_->hostile_capture));
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("<iframe class=\"archived\" sandbox=\""), std::string::npos);
  EXPECT_EQ(res->body.find("allow-scripts"), std::string::npos);
  EXPECT_EQ(res->body.find("allow-same-origin"), std::string::npos);
}

TEST_F(WebReaderTest, ArchivedBodiesAreSandboxedAndRewritten) {
  auto res = get("/archived/" + id(built_->hostile_capture));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  const std::string policy = res->get_header_value("Content-Security-Policy");
  EXPECT_EQ(policy.rfind("sandbox allow-top-navigation-by-user-activation; default-src 'none';",
                         0),
            0u)
      << policy;
  EXPECT_EQ(policy.find("allow-scripts"), std::string::npos);
  EXPECT_EQ(policy.find("allow-same-origin"), std::string::npos);
  EXPECT_EQ(res->get_header_value_count("Content-Security-Policy"), 1u);
  EXPECT_EQ(res->get_header_value("X-Frame-Options"), "SAMEORIGIN");
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res->body.find("<script"), std::string::npos);
  // The archived link and image point into the archive; the outside ones are dead.
  EXPECT_NE(res->body.find("href=\"/capture/" + id(built_->linked_capture) + "\""),
            std::string::npos);
  EXPECT_NE(res->body.find("src=\"/raw/" + id(built_->image_capture) + "\""), std::string::npos);
  // Nothing that runs, embeds or fetches outside the reader is left (the outside host's URLs
  // survive only as the titles of dead links and images).
  std::vector<std::string> violations = fuzz::archived_page_violations(res->body);
  EXPECT_TRUE(violations.empty()) << violations.front();
  EXPECT_NE(res->body.find(std::string("Không có trong kho lưu trữ: http://") + kOutsideHost),
            std::string::npos);
}

TEST_F(WebReaderTest, RawBodiesAreImagesOrDownloadsNeverPages) {
  auto image = get("/raw/" + id(built_->image_capture));
  ASSERT_TRUE(image);
  EXPECT_EQ(image->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(image->get_header_value("Content-Security-Policy").rfind("sandbox", 0), 0u);
  EXPECT_EQ(image->body.substr(1, 3), "PNG");
  auto page = get("/raw/" + id(built_->hostile_capture));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->get_header_value("Content-Type"), "application/octet-stream");
  EXPECT_EQ(page->get_header_value("Content-Disposition"),
            "attachment; filename=\"bai-nguy-hiem.html\"");
  EXPECT_EQ(page->get_header_value("Content-Security-Policy").rfind("sandbox", 0), 0u);
  EXPECT_EQ(get("/raw/999999")->status, 404);
  // Plain text is shown as text (nosniff: never read as HTML), sandboxed all the same.
  auto robots = get("/raw/" + id(built_->robots_capture));
  ASSERT_TRUE(robots);
  EXPECT_EQ(robots->get_header_value("Content-Type"), "text/plain");
  EXPECT_EQ(robots->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(robots->get_header_value("Content-Security-Policy").rfind("sandbox", 0), 0u);
  EXPECT_EQ(get("/archived/" + id(built_->robots_capture))->get_header_value("Content-Type"),
            "text/plain");
}

TEST_F(WebReaderTest, AUrlLeadsToItsArticleOrCapture) {
  httplib::Client client(reader_->url().substr(0, reader_->url().size() - 1));
  auto article =
      client.Get("/url?u=https%3A%2F%2Fthu-nghiem.example.gov.vn%2Ftin%2Fbai-nguy-hiem.html");
  ASSERT_TRUE(article);
  EXPECT_EQ(article->status, 302);
  EXPECT_EQ(article->get_header_value("Location"), "/article/" + id(built_->hostile_article));
  auto image = client.Get("/url?u=https://thu-nghiem.example.gov.vn/anh/bieu-do.png");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->get_header_value("Location"), "/capture/" + id(built_->image_capture));
  auto missing = client.Get("/url?u=%3Cscript%3Ex");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("&lt;script&gt;x"), std::string::npos);
}

TEST_F(WebReaderTest, ARequestForAnotherHostIsRefused) {
  // "http://127.0.0.1:<port>/"
  const std::string port = reader_->url().substr(17, reader_->url().size() - 18);
  auto res = get("/", {{"Host", "attacker.example:" + port}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 421);
  EXPECT_EQ(get("/", {{"Host", "localhost:" + port}})->status, 200);
  EXPECT_EQ(get("/", {{"Host", "127.0.0.1:" + port}})->status, 200);
  EXPECT_EQ(get("/", {{"Host", "127.0.0.1"}})->status, 421);
}

TEST_F(WebReaderTest, SearchWithoutDiacriticsFindsTheDongThapArticle) {
  auto res = get("/search?q=dong+thap");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  // Its title holds "Đồng Tháp": first by bm25's title weight.
  const size_t first = res->body.find("<li><a class=\"title\" href=\"/article/");
  EXPECT_EQ(res->body.find("<li><a class=\"title\" href=\"/article/" +
                           id(built_->dong_thap_article) + "\">Diễn tập ứng cứu sự cố"),
            first)
      << res->body;
  EXPECT_NE(res->body.find("<mark>Đồng</mark> <mark>Tháp</mark>"), std::string::npos)
      << "the snippet marks the words as stored, diacritics and all";
  EXPECT_NE(res->body.find("3 bài viết khớp với «dong thap»"), std::string::npos) << res->body;
  EXPECT_EQ(res->body.find("/article/" + id(built_->hostile_article) + "\""), std::string::npos);
  // Upper case, decomposed (NFD) and with diacritics: the same search.
  for (const char* query : {"DONG+THAP", "%C4%90%E1%BB%93ng+Th%C3%A1p",
                            "%C4%90o%CC%82%CC%80ng+Tha%CC%81p"}) {
    auto again = get(std::string("/search?q=") + query);
    ASSERT_TRUE(again);
    EXPECT_NE(again->body.find("3 bài viết khớp với"), std::string::npos) << query;
  }
  // The page with no query is the form and how to write one.
  auto empty = get("/search?q=");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_NE(empty->body.find("<code>dong thap</code>"), std::string::npos);
  EXPECT_NE(empty->body.find("<option value=\"dong-thap\">dong-thap</option>"), std::string::npos);
}

TEST_F(WebReaderTest, SearchResultsEscapeTitlesSnippetsAndTheQuery) {
  // The hostile article: its title is markup, its body quotes a script.
  auto res = get("/search?q=script+alert");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("href=\"/article/" + id(built_->hostile_article) +
                           "\">&lt;img src=x onerror=alert(1)&gt;</a>"),
            std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("&lt;<mark>script</mark>&gt;<mark>alert</mark>(&quot;thân bài&quot;)"
                           "&lt;/<mark>script</mark>&gt;"),
            std::string::npos)
      << res->body;
  EXPECT_EQ(res->body.find("<script"), std::string::npos);
  EXPECT_EQ(res->body.find("<img src=x"), std::string::npos);
  // A query that tries to leave the input's value and the page's text: escaped in both.
  auto hostile_query = get("/search?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E+%22");
  ASSERT_TRUE(hostile_query);
  EXPECT_EQ(hostile_query->status, 200);
  EXPECT_EQ(hostile_query->body.find("<script"), std::string::npos);
  EXPECT_NE(hostile_query->body.find(
                "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;\""),
            std::string::npos)
      << hostile_query->body;
  // The site filter's options are escaped too (their ids come from site files).
  EXPECT_NE(hostile_query->body.find("<option value=\"thu-nghiem\">"), std::string::npos);
}

TEST_F(WebReaderTest, AMalformedSearchIsABadRequestThatSaysWhy) {
  for (const char* path : {"/search?q=%22dong+thap", "/search?q=dong+OR", "/search?q=NOT+dong",
                           "/search?q=(dong", "/search?q=dong&since=2020-13-01",
                           "/search?q=dong&until=hom+qua"}) {
    auto res = get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 400) << path;
    EXPECT_NE(res->body.find("Câu tìm kiếm chưa đúng: "), std::string::npos) << path;
    EXPECT_EQ(res->get_header_value("Content-Security-Policy"), kReaderPolicy) << path;
  }
  auto quote = get("/search?q=%22dong+thap");
  EXPECT_NE(quote->body.find("unbalanced quote"), std::string::npos) << quote->body;
  auto date = get("/search?q=dong&since=2020-13-01");
  EXPECT_NE(date->body.find("since: `2020-13-01` is not a date YYYY-MM-DD"), std::string::npos)
      << date->body;
}

TEST_F(WebReaderTest, SearchFiltersBySiteAndDate) {
  // "thông tin" is in every Đồng Tháp article and in the hostile one.
  auto all = get("/search?q=thong+tin");
  ASSERT_TRUE(all);
  EXPECT_NE(all->body.find("5 bài viết khớp"), std::string::npos) << all->body;
  auto site = get("/search?q=thong+tin&site=thu-nghiem");
  ASSERT_TRUE(site);
  EXPECT_NE(site->body.find("1 bài viết khớp"), std::string::npos) << site->body;
  EXPECT_NE(site->body.find("<option value=\"thu-nghiem\" selected>"), std::string::npos);
  // The 2018 and 2019 articles; the 2017 and 2020 ones, and the 2023 one, are out.
  auto dated = get("/search?q=thong+tin&since=2018-01-01&until=2019-12-31");
  ASSERT_TRUE(dated);
  EXPECT_NE(dated->body.find("2 bài viết khớp"), std::string::npos) << dated->body;
  EXPECT_EQ(dated->body.find("/article/" + id(built_->dong_thap_article) + "\""),
            std::string::npos);
  EXPECT_NE(dated->body.find("/article/" + id(built_->edited_article) + "\""), std::string::npos);
  EXPECT_NE(dated->body.find("value=\"2018-01-01\""), std::string::npos);
  // The sentence the edit added is in the latest version only; with the old versions searched
  // as well, the article is still found once.
  auto latest = get("/search?q=bo+sung+thong+tin+nay&versions=all");
  ASSERT_TRUE(latest);
  EXPECT_NE(latest->body.find("1 bài viết khớp"), std::string::npos) << latest->body;
  EXPECT_NE(latest->body.find("khớp phiên bản 2 trong 2"), std::string::npos) << latest->body;
  EXPECT_NE(latest->body.find("name=\"versions\" value=\"all\" checked"), std::string::npos);
}

TEST(WebReaderSearchPagingTest, PagesOfTwentyKeepTheFilters) {
  const std::string dir = temp_dir();
  const std::string db = build_bulletin_archive(dir, 45);
  web::ReaderOptions options;
  options.db_path = db;
  options.listen.port = 0;
  Result<std::unique_ptr<web::Reader>> reader = web::Reader::start(options);
  ASSERT_TRUE(reader.ok()) << reader.error();
  httplib::Client client((*reader)->url().substr(0, (*reader)->url().size() - 1));
  client.set_url_encode(false);
  std::set<std::string> seen;
  auto titles = [&](const std::string& body) {
    int count = 0;
    for (size_t at = body.find("\">Bản tin số "); at != std::string::npos;
         at = body.find("\">Bản tin số ", at + 1)) {
      seen.insert(body.substr(at, body.find('<', at) - at));
      ++count;
    }
    return count;
  };
  auto first = client.Get("/search?q=ban+tin");
  ASSERT_TRUE(first);
  EXPECT_NE(first->body.find("45 bài viết khớp với «ban tin» · hiển thị 1–20"),
            std::string::npos);
  EXPECT_EQ(titles(first->body), 20);
  EXPECT_NE(first->body.find("<a href=\"/search?q=ban%20tin&amp;page=2\">Trang sau →</a>"),
            std::string::npos)
      << first->body;
  EXPECT_EQ(first->body.find("Trang trước"), std::string::npos);
  auto second = client.Get("/search?q=ban+tin&page=2");
  ASSERT_TRUE(second);
  EXPECT_EQ(titles(second->body), 20);
  auto third = client.Get("/search?q=ban+tin&page=3");
  ASSERT_TRUE(third);
  EXPECT_NE(third->body.find("hiển thị 41–45"), std::string::npos);
  EXPECT_EQ(titles(third->body), 5);
  EXPECT_EQ(third->body.find("Trang sau"), std::string::npos);
  EXPECT_EQ(seen.size(), 45u) << "the three pages are the 45 bulletins, each once";
  auto beyond = client.Get("/search?q=ban+tin&page=9");
  ASSERT_TRUE(beyond);
  EXPECT_EQ(beyond->status, 200);
  EXPECT_NE(beyond->body.find("không có trang kết quả này"), std::string::npos);
  EXPECT_NE(beyond->body.find("href=\"/search?q=ban%20tin&amp;page=3\">← Trang trước"),
            std::string::npos);
  // Filters survive paging: ten days of January are one page; 25 from the 11th are two, and the
  // link to the second keeps the site and dates.
  auto ten = client.Get("/search?q=ban+tin&site=ban-tin&since=2024-01-10&until=2024-01-19");
  ASSERT_TRUE(ten);
  EXPECT_NE(ten->body.find("10 bài viết khớp"), std::string::npos) << ten->body;
  auto later = client.Get("/search?q=ban+tin&site=ban-tin&since=2024-01-21");
  ASSERT_TRUE(later);
  EXPECT_NE(later->body.find("25 bài viết khớp"), std::string::npos) << later->body;
  EXPECT_NE(later->body.find("href=\"/search?q=ban%20tin&amp;site=ban-tin&amp;since=2024-01-21"
                             "&amp;page=2\""),
            std::string::npos)
      << later->body;
}

TEST_F(WebReaderTest, RunsAreListed) {
  auto res = get("/runs");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("Lượt 2 · thu thập"), std::string::npos);
  EXPECT_NE(res->body.find("Lượt 1 · thu thập"), std::string::npos);
}

TEST_F(WebReaderTest, ItReadsWhileAWriterHoldsTheArchive) {
  Result<std::unique_ptr<Archive>> writer = Archive::open(built_->db_path);
  ASSERT_TRUE(writer.ok()) << writer.error();
  Status s = (*writer)->transaction([&]() -> Status {
    Result<int64_t> run = (*writer)->begin_run("crawl", {"dong-thap"});
    if (!run.ok()) return run.failure();
    // The write transaction is open: the reader still answers, from the last commit.
    auto res = get("/site/dong-thap");
    EXPECT_TRUE(res && res->status == 200);
    return fail("rolled back on purpose");
  });
  EXPECT_FALSE(s.ok());
}

TEST(WebReaderAddressTest, ListenAddressesParse) {
  auto parsed = web::parse_listen_address("127.0.0.1:9000");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->host, "127.0.0.1");
  EXPECT_EQ(parsed->port, 9000);
  parsed = web::parse_listen_address("[::1]:0");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->host, "::1");
  EXPECT_EQ(parsed->port, 0);
  parsed = web::parse_listen_address(":8081");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->host, "127.0.0.1");
  parsed = web::parse_listen_address("localhost");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->port, 8080);
  for (const char* bad : {"127.0.0.1:x", "127.0.0.1:70000", "::1:80", "[::1", "127.0.0.1:"}) {
    EXPECT_FALSE(web::parse_listen_address(bad).ok()) << bad;
  }
}

TEST(WebReaderAddressTest, OnlyLoopbackAddressesAreServed) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "localhost", "LOCALHOST"}) {
    EXPECT_TRUE(web::is_loopback_host(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.org", ""}) {
    EXPECT_FALSE(web::is_loopback_host(host)) << host;
  }
  web::ReaderOptions options;
  options.db_path = temp_dir() + "/none.sqlite";
  options.listen = {"0.0.0.0", 0};
  Result<std::unique_ptr<web::Reader>> reader = web::Reader::start(options);
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.error().find("not a loopback address"), std::string::npos) << reader.error();
}

}  // namespace
}  // namespace provarc::testing
