// Faults of the network, each served by a local server or a crafted answer and crawled by the real
// `provarc crawl` into a real archive: a body shorter than its Content-Length, an endless chunked
// body, a trickle of one byte per second, a self-signed certificate, a host name that does not
// resolve, robots.txt files of 5 MB, of binary bytes and of HTML, and a sitemap of a million URLs.
// For each: the error is recorded against the URL, the run goes on with the other URLs and sites,
// the archive passes integrity_check, and every answer the servers gave is in it.
// (Resets, slow pages, oversized pages, gzip bombs and redirect loops: crawler_crawl_test.cc; a
// full disk, a locked or read-only archive: archive_faults_test.cc.)
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crawler/links.h"
#include "crawler/robots.h"
#include "tests/support/crawl_test_sites.h"
#include "tests/support/fixture_web.h"
#include "tests/support/paths.h"
#include "tests/support/tls_server.h"

namespace provarc::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

// Every fault must be over well within this (the runs below are also capped with --max-time, so
// that a regression fails here instead of hanging the suite).
constexpr auto kRunDeadline = seconds(20);

FixtureResponse text(const std::string& body, int status = 200,
                     const std::string& type = "text/plain") {
  FixtureResponse r;
  r.status = status;
  r.content_type = type;
  r.body = body;
  return r;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string article_target(int n) { return "/tin-tuc/bai-viet-" + std::to_string(n) + ".html"; }

// One row of the archive's captures table.
struct CaptureRow {
  std::string url;
  std::string kind;
  std::string outcome;
  std::string error;
  int status = 0;
  int64_t body_size = 0;
};

// Reads the archive with SQL, read-only, as an operator would with the sqlite3 shell.
class ArchiveReader {
 public:
  explicit ArchiveReader(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << path << ": " << sqlite3_errmsg(db_);
    }
  }
  ~ArchiveReader() { sqlite3_close(db_); }

  // Every row of `sql` (one text per column; NULL reads as "").
  std::vector<std::vector<std::string>> rows(const std::string& sql) const {
    std::vector<std::vector<std::string>> out;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* value = sqlite3_column_text(stmt, i);
        row.push_back(value == nullptr ? "" : reinterpret_cast<const char*>(value));
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return out;
  }

  std::string integrity_check() const {
    auto result = rows("PRAGMA integrity_check");
    return result.empty() ? "no answer" : result[0][0];
  }

  std::vector<CaptureRow> captures() const {
    std::vector<CaptureRow> out;
    for (const auto& row :
         rows("SELECT url, kind, outcome, error, status, body_size FROM captures ORDER BY id")) {
      out.push_back({row[0], row[1], row[2], row[3], std::stoi(row[4]), std::stoll(row[5])});
    }
    return out;
  }

  std::vector<CaptureRow> captures_of(const std::string& url) const {
    std::vector<CaptureRow> out;
    for (CaptureRow& c : captures()) {
      if (c.url == url) out.push_back(std::move(c));
    }
    return out;
  }

  // The frontier state and last error of (site, url); {"", ""} when absent.
  std::pair<std::string, std::string> frontier(const std::string& site,
                                               const std::string& url) const {
    for (const auto& row : rows("SELECT site, url, state, last_error FROM frontier")) {
      if (row[0] == site && row[1] == url) return {row[2], row[3]};
    }
    return {"", ""};
  }

  int64_t frontier_size(const std::string& site) const {
    int64_t n = 0;
    for (const auto& row : rows("SELECT site FROM frontier")) n += row[0] == site;
    return n;
  }

  // How many article versions `url` has.
  int64_t versions_of(const std::string& url) const {
    int64_t n = 0;
    for (const auto& row :
         rows("SELECT a.url FROM article_versions v JOIN articles a ON a.id = v.article_id")) {
      n += row[0] == url;
    }
    return n;
  }

 private:
  sqlite3* db_ = nullptr;
};

class CrawlerFaultsTest : public ::testing::Test {
 protected:
  // A news site (add_news_site) on its own host, allowing everything in robots.txt.
  FixtureHost& news_host(const std::string& name, int articles) {
    FixtureHost& host = web_.add_host(name);
    add_news_site(host, "", articles, 4);
    host.set_route("/robots.txt", Route({text("User-agent: *\nDisallow:\n")}));
    return host;
  }

  void add_site(const std::string& id, const std::string& authority,
                const std::string& extra = "") {
    write_test_site(config_dir_, id, {authority}, news_crawl_toml(authority, 10, extra));
  }

  // Runs `provarc crawl` over the config directory into the archive; records how long it took.
  RunResult crawl(std::vector<std::string> args = {}) {
    std::vector<std::string> argv = {provarc_binary(), "--config", config_dir_, "--db", db_,
                                     "crawl", "--max-time", "60s"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto started = Clock::now();
    RunResult result = run_command(argv);
    took_ = Clock::now() - started;
    return result;
  }

  // The archive is sound, and every request a fixture host answered became a capture of that
  // URL: nothing fetched before, during or after a fault was lost.
  void expect_sound_and_complete(const std::vector<const FixtureHost*>& hosts) {
    ArchiveReader archive(db_);
    EXPECT_EQ(archive.integrity_check(), "ok");
    std::multiset<std::string> captured;
    for (const CaptureRow& c : archive.captures()) captured.insert(c.url);
    for (const FixtureHost* host : hosts) {
      std::multiset<std::string> requested;
      for (const RequestRecord& r : web_.requests_to(*host)) requested.insert(host->url(r.target));
      for (const std::string& url : requested) {
        EXPECT_EQ(captured.count(url), requested.count(url)) << url << ": one capture per request";
      }
    }
  }

  // Articles 1..n of a news site on `host` each have one version in the archive.
  void expect_articles_archived(const FixtureHost& host, int n) {
    ArchiveReader archive(db_);
    for (int i = 1; i <= n; ++i) {
      EXPECT_EQ(archive.versions_of(host.url(article_target(i))), 1) << article_target(i);
    }
  }

  FixtureWeb web_;
  std::string dir_ = temp_dir();
  std::string config_dir_ = dir_ + "/config";
  std::string db_ = dir_ + "/archive.sqlite";
  Clock::duration took_{};
};

TEST_F(CrawlerFaultsTest, ABodyShorterThanItsContentLengthIsAnErrorAndTheSiteGoesOn) {
  FixtureHost& host = news_host("a", 3);
  // A host without abortive_close: half the promised body, then an orderly close (FIN).
  Route short_body({text(generated_article_html("Cắt ngang", "/anh/x.jpg", ""), 200,
                         "text/html; charset=utf-8")});
  short_body.reset = true;
  host.set_route(article_target(2), short_body);
  add_site("a", host.authority(), "max_retries = 1\n");
  RunResult r = crawl();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_LT(took_, kRunDeadline);

  const std::string url = host.url(article_target(2));
  EXPECT_EQ(web_.count(host, article_target(2)), 2) << "a cut connection is retried once";
  ArchiveReader archive(db_);
  std::vector<CaptureRow> rows = archive.captures_of(url);
  ASSERT_EQ(rows.size(), 2u);
  for (const CaptureRow& c : rows) {
    EXPECT_EQ(c.outcome, "error");
    EXPECT_EQ(c.body_size, 0) << "half a page is not archived as a page";
    EXPECT_TRUE(contains(c.error, "body cut short (the connection closed early)")) << c.error;
  }
  EXPECT_EQ(archive.versions_of(url), 0);
  auto [state, last_error] = archive.frontier("a", url);
  EXPECT_EQ(state, "failed");
  EXPECT_TRUE(contains(last_error, "gave up after 2 attempts")) << last_error;
  EXPECT_TRUE(contains(r.err, "error: " + url + ": ")) << r.err;
  expect_articles_archived(host, 1);
  EXPECT_EQ(archive.versions_of(host.url(article_target(3))), 1);
  expect_sound_and_complete({&host});
}

TEST_F(CrawlerFaultsTest, AnEndlessChunkedBodyIsCutAtTheSizeCap) {
  FixtureHost& host = news_host("a", 3);
  Route endless({text("<p>" + std::string(60000, 'v') + "</p>", 200, "text/html")});
  endless.endless_chunked = true;
  host.set_route(article_target(2), endless);
  FixtureHost& other = news_host("b", 2);
  add_site("a", host.authority(), "max_body_bytes = \"1MiB\"\nmax_retries = 1\n");
  add_site("b", other.authority());
  RunResult r = crawl();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_LT(took_, kRunDeadline);

  const std::string url = host.url(article_target(2));
  EXPECT_EQ(web_.count(host, article_target(2)), 1) << "a size cap is not retried";
  ArchiveReader archive(db_);
  std::vector<CaptureRow> rows = archive.captures_of(url);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].outcome, "error");
  EXPECT_EQ(rows[0].body_size, 0);
  EXPECT_TRUE(contains(rows[0].error, "body larger than 1048576 bytes")) << rows[0].error;
  EXPECT_EQ(archive.frontier("a", url).first, "failed");
  EXPECT_TRUE(contains(r.err, "error: " + url + ": body larger than")) << r.err;
  EXPECT_EQ(archive.versions_of(host.url(article_target(1))), 1);
  EXPECT_EQ(archive.versions_of(host.url(article_target(3))), 1);
  expect_articles_archived(other, 2);
  expect_sound_and_complete({&host, &other});
}

TEST_F(CrawlerFaultsTest, OneBytePerSecondEndsAtTheTotalTimeout) {
  FixtureHost& host = news_host("a", 3);
  Route trickle({text(generated_article_html("Từng byte một", "/anh/x.jpg", ""), 200,
                      "text/html; charset=utf-8")});
  trickle.trickle_ms = 1000;
  host.set_route(article_target(2), trickle);
  add_site("a", host.authority(), "total_timeout = \"2s\"\nmax_retries = 1\n");
  RunResult r = crawl();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_LT(took_, kRunDeadline);
  EXPECT_GE(took_, seconds(4)) << "two attempts, each cut at the 2 s total timeout";

  const std::string url = host.url(article_target(2));
  EXPECT_EQ(web_.count(host, article_target(2)), 2) << "a timeout is transient: retried once";
  ArchiveReader archive(db_);
  std::vector<CaptureRow> rows = archive.captures_of(url);
  ASSERT_EQ(rows.size(), 2u);
  for (const CaptureRow& c : rows) {
    EXPECT_EQ(c.outcome, "error");
    EXPECT_EQ(c.body_size, 0);
    EXPECT_TRUE(contains(c.error, "total timeout of 2000 ms")) << c.error;
  }
  EXPECT_EQ(archive.versions_of(url), 0);
  EXPECT_EQ(archive.frontier("a", url).first, "failed");
  EXPECT_TRUE(contains(r.err, "error: " + url + ": total timeout")) << r.err;
  EXPECT_EQ(archive.versions_of(host.url(article_target(1))), 1);
  EXPECT_EQ(archive.versions_of(host.url(article_target(3))), 1);
  expect_sound_and_complete({&host});
}

// The site file of a site served over https by `server`.
void write_tls_site(const std::string& config_dir, const TlsServer& server, bool verify) {
  std::ofstream out(config_dir + "/sites/tls.toml");
  out << "id = \"tls\"\nname = \"Sở TT&TT (fixture tls)\"\nprovince = \"Fixture\"\n"
      << "platform = \"generic\"\nhosts = [\"" << server.authority() << "\"]\n"
      << "start_urls = [\"" << server.url("/") << "\"]\n"
      << "contact_url = \"https://example.org/provarc-tests\"\n\n[crawl]\ndelay = \"10ms\"\n"
      << "article_url_patterns = ['/tin-tuc/[^/?]+\\.html$']\n"
      << (verify ? "" : "verify_tls = false\n");
  ASSERT_TRUE(out.good());
}

TEST_F(CrawlerFaultsTest, ASelfSignedCertificateFailsVerificationAndTheOtherSiteIsCrawled) {
  TlsServer server({{"/robots.txt", "User-agent: *\nDisallow:\n"},
                    {"/", "<html><body><a href=\"/tin-tuc/an-toan.html\">tin</a></body></html>"},
                    {"/tin-tuc/an-toan.html", generated_article_html("An toàn", "/a.jpg", "")}});
  FixtureHost& other = news_host("b", 3);
  add_site("b", other.authority());  // first: it also copies the platform presets
  write_tls_site(config_dir_, server, /*verify=*/true);
  RunResult r = crawl();
  EXPECT_LT(took_, kRunDeadline) << "a certificate that fails does not hold the run";
  EXPECT_EQ(r.exit_code, 0) << "the site is unfinished, not failed: it waits for a later run\n"
                            << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "unfinished")) << r.out;

  const std::string robots = server.url("/robots.txt");
  {
    ArchiveReader archive(db_);
    std::vector<CaptureRow> rows = archive.captures_of(robots);
    ASSERT_EQ(rows.size(), 1u) << "a certificate failure is not retried within the run";
    EXPECT_EQ(rows[0].outcome, "error");
    EXPECT_EQ(rows[0].kind, "robots");
    EXPECT_TRUE(contains(rows[0].error, "TLS certificate verification failed")) << rows[0].error;
    EXPECT_TRUE(contains(rows[0].error, "self-signed") || contains(rows[0].error, "self signed"))
        << rows[0].error;
    // Nothing else of the site was fetched; its start URL waits for a later run.
    EXPECT_EQ(archive.captures_of(server.url("/")).size(), 0u);
    EXPECT_EQ(archive.frontier("tls", server.url("/")).first, "queued");
  }
  EXPECT_TRUE(contains(r.err, robots + ": TLS certificate verification failed")) << r.err;
  EXPECT_TRUE(contains(r.err, "its URLs are left for a later run")) << r.err;
  EXPECT_GE(server.connections(), 1);
  EXPECT_EQ(server.handshakes(), 0);
  EXPECT_TRUE(server.requests().empty());
  expect_articles_archived(other, 3);
  expect_sound_and_complete({&other});

  // The same server with verification off is crawled: the certificate was the only fault.
  write_tls_site(config_dir_, server, /*verify=*/false);
  RunResult unverified = crawl({"--site", "tls"});
  EXPECT_EQ(unverified.exit_code, 0) << unverified.out << unverified.err;
  EXPECT_TRUE(contains(unverified.err, "TLS certificates are not verified")) << unverified.err;
  ArchiveReader archive(db_);
  EXPECT_EQ(archive.versions_of(server.url("/tin-tuc/an-toan.html")), 1);
  EXPECT_GE(server.handshakes(), 1);
  EXPECT_EQ(archive.integrity_check(), "ok");
}

TEST_F(CrawlerFaultsTest, AHostNameThatDoesNotResolveIsLeftAndTheOtherSiteIsCrawled) {
  // RFC 6761: names under .invalid never resolve.
  const std::string dead = "tin-tuc.provarc-test.invalid";
  FixtureHost& other = news_host("b", 3);
  add_site("b", other.authority());
  add_site("dead", dead);
  RunResult r = crawl();
  EXPECT_LT(took_, kRunDeadline) << "a dead host does not hold the run";
  EXPECT_EQ(r.exit_code, 0) << "the site is unfinished, not failed: it waits for a later run\n"
                            << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "unfinished")) << r.out;

  const std::string robots = "http://" + dead + "/robots.txt";
  {
    ArchiveReader archive(db_);
    std::vector<CaptureRow> rows = archive.captures_of(robots);
    ASSERT_EQ(rows.size(), 1u) << "a name that does not resolve is not retried within the run";
    EXPECT_EQ(rows[0].outcome, "error");
    EXPECT_TRUE(contains(rows[0].error, "Could not resolve host: " + dead)) << rows[0].error;
    EXPECT_EQ(archive.frontier("dead", "http://" + dead + "/").first, "queued")
        << "its start URL waits for a later run";
  }
  EXPECT_TRUE(contains(r.err, "error: " + dead + ": " + robots + ": ")) << r.err;
  EXPECT_TRUE(contains(r.err, "Could not resolve host: " + dead)) << r.err;
  EXPECT_TRUE(contains(r.err, "its URLs are left for a later run")) << r.err;
  expect_articles_archived(other, 3);
  expect_sound_and_complete({&other});
}

// robots.txt bytes that are not a robots.txt: random bytes with a fixed seed.
std::string random_bytes(size_t size) {
  std::mt19937 rng(20260101);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  return bytes;
}

TEST_F(CrawlerFaultsTest, HugeBinaryAndHtmlRobotsTxtAreReadWithinBounds) {
  // 5 MB: a group that disallows /cam/, then comments, then (past the 500 KiB that RFC 9309
  // requires to be parsed, and this parser reads) a rule that would disallow the news.
  std::string huge = "User-agent: *\nDisallow: /cam/\n";
  while (huge.size() < RobotsTxt::kMaxBytes + 1000) huge += "# " + std::string(97, '-') + "\n";
  huge += "Disallow: /tin-tuc/\n";
  while (huge.size() < 5u << 20) huge += "# " + std::string(97, '=') + "\n";
  // A portal's error page served as robots.txt with status 200.
  const std::string html_page =
      "<!DOCTYPE html><html><head><title>Lỗi</title><meta name=\"robots\" content=\"noindex\">"
      "</head><body>\n<h1>Không tìm thấy trang</h1>\n<p>Disallow: /</p>\n</body></html>\n";
  struct Case {
    std::string id;
    FixtureResponse robots;
    bool cam_allowed;  // whether /cam/ may be fetched under it
  };
  std::vector<Case> cases = {
      {"huge", text(huge), false},
      {"binary", text(random_bytes(64 * 1024), 200, "application/octet-stream"), true},
      {"html", text(html_page, 200, "text/html; charset=utf-8"), true},
  };
  std::vector<FixtureHost*> hosts;
  for (const Case& c : cases) {
    FixtureHost& host = news_host(c.id, 2);
    host.set_route("/robots.txt", Route({c.robots}));
    host.set_page("/", "<html><body><a href=\"/tin-tuc/\">tin</a> "
                       "<a href=\"/cam/bi-mat.html\">cấm</a></body></html>");
    host.set_page("/cam/bi-mat.html", "<html><body>bí mật</body></html>");
    add_site(c.id, host.authority());
    hosts.push_back(&host);
  }
  RunResult r = crawl();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_LT(took_, kRunDeadline);

  ArchiveReader archive(db_);
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].id);
    const FixtureHost& host = *hosts[i];
    EXPECT_EQ(web_.count(host, "/robots.txt"), 1);
    expect_articles_archived(host, 2);
    EXPECT_EQ(web_.count(host, "/cam/bi-mat.html"), cases[i].cam_allowed ? 1 : 0);
    std::vector<CaptureRow> rows = archive.captures_of(host.url("/robots.txt"));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].outcome, "ok");
    // Memory stays bounded: robots.txt is read no further than the parser looks.
    EXPECT_LE(rows[0].body_size, static_cast<int64_t>(RobotsTxt::kMaxBytes) + 1);
  }
  std::vector<CaptureRow> huge_rows = archive.captures_of(hosts[0]->url("/robots.txt"));
  ASSERT_EQ(huge_rows.size(), 1u);
  EXPECT_TRUE(contains(huge_rows[0].error, "the first 512001 bytes are kept"))
      << "a cut body says so: " << huge_rows[0].error;
  auto [state, why] = archive.frontier("huge", hosts[0]->url("/cam/bi-mat.html"));
  EXPECT_EQ(state, "failed");
  EXPECT_TRUE(contains(why, "robots.txt line 2 (Disallow: /cam/)")) << why;
  expect_sound_and_complete({hosts[0], hosts[1], hosts[2]});
}

TEST_F(CrawlerFaultsTest, ASitemapOfAMillionUrlsIsReadUpToItsCaps) {
  constexpr int kSitemapUrls = 1000000;
  FixtureHost& host = news_host("a", 0);
  const std::string sitemap = host.url("/sitemap.xml");
  host.set_route("/robots.txt",
                 Route({text("User-agent: *\nDisallow:\nSitemap: " + sitemap + "\n")}));
  // About 70 MB of XML, made when asked for.
  host.add_dynamic([&host](const std::string& target) -> std::optional<FixtureResponse> {
    if (target != "/sitemap.xml") return std::nullopt;
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    xml.reserve(72u << 20);
    for (int i = 1; i <= kSitemapUrls; ++i) {
      xml += "<url><loc>" + host.url(article_target(i)) + "</loc></url>\n";
    }
    xml += "</urlset>\n";
    return text(xml, 200, "application/xml");
  });
  host.add_dynamic([](const std::string& target) -> std::optional<FixtureResponse> {
    if (target.rfind("/tin-tuc/bai-viet-", 0) != 0) return std::nullopt;
    return text(generated_article_html("Bài " + target.substr(18), "/anh/x.jpg", ""), 200,
                "text/html; charset=utf-8");
  });
  add_site("a", host.authority(),
           "max_pages = 10\nmax_body_bytes = \"4MiB\"\n"
           "fetch_images = false\nfetch_attachments = false\n");
  RunResult r = crawl();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_LT(took_, kRunDeadline);

  EXPECT_EQ(web_.count(host, "/sitemap.xml"), 1);
  ArchiveReader archive(db_);
  std::vector<CaptureRow> rows = archive.captures_of(sitemap);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].outcome, "ok") << "what fits under the cap is read: " << rows[0].error;
  EXPECT_EQ(rows[0].body_size, 4 << 20);
  EXPECT_TRUE(contains(rows[0].error, "the first 4194304 bytes are kept")) << rows[0].error;
  // The budget of 10 pages: the start and listing pages, then the sitemap's first 8 articles.
  expect_articles_archived(host, 8);
  EXPECT_EQ(archive.versions_of(host.url(article_target(9))), 0);
  // The frontier holds at most the site's discovery cap (20 URLs per page of budget, at least
  // 1000), however many the sitemap lists.
  EXPECT_LE(archive.frontier_size("a"), 1000);
  EXPECT_GE(archive.frontier_size("a"), 900) << "the sitemap was read up to the cap";
  EXPECT_EQ(archive.frontier("a", host.url(article_target(kSitemapUrls))).first, "");
  EXPECT_TRUE(contains(r.err, "no more are followed")) << r.err;
  expect_sound_and_complete({&host});
}

TEST(CutSitemapTest, OnlyWholeUrlsOfASitemapCutAtTheCapAreRead) {
  const std::string base = "http://h.vn/sitemap.txt";
  const std::string text_sitemap = "http://h.vn/a\nhttp://h.vn/b\nhttp://h.vn/bai-vi";
  EXPECT_EQ(parse_sitemap(text_sitemap, base, /*cut_off=*/true).pages,
            (std::vector<std::string>{"http://h.vn/a", "http://h.vn/b"}));
  EXPECT_EQ(parse_sitemap(text_sitemap, base).pages.size(), 3u) << "a whole file's last line";
  EXPECT_TRUE(parse_sitemap("http://h.vn/a-very-long-fir", base, true).pages.empty());
  // XML on one line, cut inside a <loc>: the whole ones are read.
  const std::string xml = "<urlset><url><loc>http://h.vn/a</loc></url>"
                          "<url><loc>http://h.vn/b</loc></url><url><loc>http://h.v";
  EXPECT_EQ(parse_sitemap(xml, base, true).pages,
            (std::vector<std::string>{"http://h.vn/a", "http://h.vn/b"}));
}

}  // namespace
}  // namespace provarc::testing
