// The web reader (web/reader.h) in process, over the reader's test archive, asked with an HTTP
// client: its pages, what they escape, and the headers every kind of response carries.
#include "web/reader.h"

#include <httplib.h>

#include <gtest/gtest.h>

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
        "/capture/" + id(built_->hostile_capture), "/no-such-page", "/article/999999"}) {
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
