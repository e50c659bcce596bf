// `provarc export --format warc` and `provarc import-warc` end to end: an archive exported and
// imported into a new one keeps every capture's URL, time, status, headers and payload digest,
// and its articles; GNU wget's WARC files come in as captures of the site that claims their host.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "archive/gzip.h"
#include "tests/support/archive_rows.h"
#include "tests/support/archive_sql.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::capture_rows;
using testing::exported_articles;
using testing::fixture_path;
using testing::provarc_binary;
using testing::read_file;
using testing::run_command;
using testing::RunResult;
using testing::source_dir;
using testing::temp_dir;

const char kWgetFixture[] = "warc/wget-1.21.3.warc.gz";
const char kWgetArticle[] = "http://127.0.0.1:8765/tin-tuc/ra-mat-nen-tang.html";

RunResult provarc(const std::string& db, std::vector<std::string> args,
                  const std::string& config = source_dir() + "/config") {
  args.insert(args.begin(), {provarc_binary(), "--config", config, "--db", db});
  return run_command(args);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Imports the pages of a fixture folder's manifest as captures of `site` fetched at `fetched_at`.
void import_fixture_pages(const std::string& db, const std::string& folder, const std::string& site,
                          const std::string& fetched_at, size_t count) {
  json manifest = json::parse(read_file(fixture_path(folder + "/manifest.json")));
  for (size_t i = 0; i < count && i < manifest.size(); ++i) {
    const json& page = manifest[i];
    RunResult r = provarc(db, {"import", "--site", site, "--fetched-at", fetched_at,
                               "--content-type", page["content_type"], "--url", page["url"],
                               fixture_path(folder + "/" + page["file"].get<std::string>())});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
}

// Captures `provarc import` cannot make: a crawl's, with request headers, a gzipped transfer, a
// redirect, an image, a 304, the same page under a print URL, and a fetch that failed. They are
// stored, not parsed.
void store_crawled_captures(const std::string& db) {
  Result<std::unique_ptr<Archive>> archive = Archive::open(db);
  ASSERT_TRUE(archive.ok()) << archive.error();
  Capture page;
  page.url = "https://sotttt.backan.gov.vn/Pages/tin-crawl.aspx";
  page.site = "bac-kan";
  page.fetched_at = "2026-11-21T23:55:25.123Z";
  page.status = 200;
  page.http_version = "HTTP/1.1";
  page.request_headers = {{"Host", "sotttt.backan.gov.vn"},
                          {"User-Agent", "provarc/0.1.0 (+https://github.com/provarc/provarc)"},
                          {"Accept-Encoding", "gzip"}};
  page.response_headers = {{"Content-Type", "text/html; charset=utf-8"},
                           {"Content-Encoding", "gzip"},
                           {"Content-Length", "1234"},
                           {"ETag", "\"a1\""},
                           {"Server", "Microsoft-IIS/7.5"}};
  page.body = read_file(fixture_path("bac-kan/ha-tang-vien-thong-9-thang-2023.html"));
  page.ip = "203.162.0.10";
  ASSERT_TRUE((*archive)->store_capture(page, 0).ok());

  Capture again = page;
  again.fetched_at = "2026-11-28T23:55:25.000Z";
  again.outcome = CaptureOutcome::kNotModified;
  again.status = 304;
  again.request_headers.push_back({"If-None-Match", "\"a1\""});
  again.response_headers = {{"ETag", "\"a1\""}};
  again.body.clear();
  ASSERT_TRUE((*archive)->store_capture(again, 0).ok());

  Capture print = page;  // an identical payload: exported as a revisit
  print.url = page.url + "?print=1";
  print.fetched_at = "2026-11-21T23:55:29.500Z";
  ASSERT_TRUE((*archive)->store_capture(print, 0).ok());

  Capture moved;
  moved.url = "https://sotttt.backan.gov.vn/tin-cu.aspx";
  moved.site = "bac-kan";
  moved.fetched_at = "2026-11-21T23:55:26.000Z";
  moved.status = 302;
  moved.http_version = "HTTP/1.1";
  moved.response_headers = {{"Location", "/Pages/tin-crawl.aspx"}, {"Content-Length", "0"}};
  moved.redirect_target = page.url;
  ASSERT_TRUE((*archive)->store_capture(moved, 0).ok());

  Capture image;
  image.url = "https://sotttt.backan.gov.vn/PublishingImages/anh.png";
  image.site = "bac-kan";
  image.kind = CaptureKind::kImage;
  image.parent_url = page.url;
  image.fetched_at = "2026-11-21T23:55:27.000Z";
  image.status = 200;
  image.http_version = "HTTP/1.1";
  image.response_headers = {{"Content-Type", "image/png"}};
  image.body = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  ASSERT_TRUE((*archive)->store_capture(image, 0).ok());

  Capture failed;
  failed.url = "https://sotttt.backan.gov.vn/cham.aspx";
  failed.site = "bac-kan";
  failed.fetched_at = "2026-11-21T23:55:28.000Z";
  failed.outcome = CaptureOutcome::kError;
  failed.error = "timeout after 120 s";
  ASSERT_TRUE((*archive)->store_capture(failed, 0).ok());
}

// `provarc export --format jsonl` of the shipped sites' articles (see exported_articles).
std::vector<json> articles(const std::string& db) {
  return exported_articles(db, source_dir() + "/config");
}

std::vector<std::string> warc_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().string().ends_with(".warc.gz")) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// An archive of 11 captures: 5 fixture pages imported (3 of bac-kan, 2 of nghe-an) and the
// crawled captures of store_crawled_captures().
void make_sample_archive(const std::string& db) {
  import_fixture_pages(db, "bac-kan", "bac-kan", "2026-05-01T10:00:00.000Z", 3);
  import_fixture_pages(db, "nghe-an", "nghe-an", "2026-05-02T10:00:00.000Z", 2);
  store_crawled_captures(db);
}

TEST(CliWarc, ExportThenImportIntoANewArchiveKeepsEveryCapture) {
  const std::string dir = temp_dir();
  const std::string a = dir + "/a.sqlite", b = dir + "/b.sqlite";
  make_sample_archive(a);

  RunResult exported = provarc(a, {"export", "--format", "warc", "--out", dir + "/warc"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_TRUE(contains(exported.out,
                       "1 identical-payload revisits, 1 not-modified revisits; "
                       "skipped 1 captures without a response"))
      << exported.out;
  std::vector<std::string> files = warc_files(dir + "/warc");
  ASSERT_EQ(files.size(), 1u);

  RunResult imported = provarc(b, {"import-warc", files[0]});
  ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  EXPECT_TRUE(contains(imported.out, "imported 10 captures from 1 files")) << imported.out;
  EXPECT_EQ(imported.err, "");

  // Every capture that had a response comes back as it was (the error capture had nothing to
  // record), and so do the articles parsed from them. The crawled page, stored unparsed in the
  // first archive, is an article of the second: import-warc parses what a crawl would.
  std::vector<std::vector<std::string>> before = capture_rows(a, /*with_errors=*/false);
  std::vector<std::vector<std::string>> after = capture_rows(b, /*with_errors=*/true);
  ASSERT_EQ(before.size(), 10u);
  EXPECT_EQ(after, before);
  std::vector<json> articles_before = articles(a), articles_after = articles(b);
  ASSERT_EQ(articles_before.size(), 5u);
  ASSERT_EQ(articles_after.size(), 6u);
  for (const json& article : articles_before) {
    EXPECT_NE(std::find(articles_after.begin(), articles_after.end(), article),
              articles_after.end())
        << article["url"];
  }
  EXPECT_NE(std::find_if(articles_after.begin(), articles_after.end(),
                         [](const json& j) {
                           return j["url"] == "https://sotttt.backan.gov.vn/Pages/tin-crawl.aspx";
                         }),
            articles_after.end());

  // Importing the same file again adds nothing.
  RunResult again = provarc(b, {"import-warc", files[0]});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "imported 0 captures from 1 files")) << again.out;
  EXPECT_TRUE(contains(again.out, "already stored 10")) << again.out;
  EXPECT_EQ(capture_rows(b, true).size(), 10u);
}

TEST(CliWarc, ExportOfOneSiteHoldsOnlyItsCaptures) {
  const std::string dir = temp_dir();
  const std::string a = dir + "/a.sqlite";
  import_fixture_pages(a, "bac-kan", "bac-kan", "2026-05-01T10:00:00.000Z", 2);
  import_fixture_pages(a, "nghe-an", "nghe-an", "2026-05-02T10:00:00.000Z", 1);
  RunResult r =
      provarc(a, {"export", "--format", "warc", "--out", dir + "/w", "--site", "nghe-an"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "wrote 1 WARC files: 1 responses")) << r.out;
  std::string index;
  for (const auto& entry : fs::directory_iterator(dir + "/w")) {
    if (entry.path().extension() == ".cdxj") index = read_file(entry.path().string());
  }
  EXPECT_EQ(std::count(index.begin(), index.end(), '\n'), 1);
  EXPECT_TRUE(contains(index, "vn,gov,nghean,stttt)/")) << index;
}

TEST(CliWarc, ExportNeedsAnOutputDirectory) {
  const std::string dir = temp_dir();
  const std::string a = dir + "/a.sqlite";
  import_fixture_pages(a, "bac-kan", "bac-kan", "2026-05-01T10:00:00.000Z", 1);
  RunResult r = provarc(a, {"export", "--format", "warc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--format warc needs --out DIR")) << r.err;
}

TEST(CliWarc, WgetFileComesInAsCapturesOfTheSiteThatClaimsItsHost) {
  const std::string dir = temp_dir();
  const std::string config = dir + "/config";
  fs::create_directories(config + "/sites");
  std::ofstream(config + "/sites/local.toml") << R"toml(id = "local"
name = "Sở Thông tin và Truyền thông (wget fixture)"
province = "Quảng Ngãi"
platform = "generic"
hosts = ["127.0.0.1:8765"]
start_urls = ["http://127.0.0.1:8765/"]
contact_url = "https://github.com/provarc/provarc"
)toml";
  const std::string db = dir + "/a.sqlite";
  RunResult r = provarc(db, {"import-warc", fixture_path(kWgetFixture)}, config);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "imported 5 captures from 1 files (13 records, 3 not captures)"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "articles changed 1, unchanged 0, failed 0; stored unparsed 4"))
      << r.out;

  RunResult show = provarc(db, {"show", kWgetArticle, "--format", "json"}, config);
  ASSERT_EQ(show.exit_code, 0) << show.err;
  json golden =
      json::parse(read_file(fixture_path("generic/html5-article-quang-ngai-2024.expected.json")));
  json article = json::parse(show.out);
  EXPECT_EQ(article["title"], golden["title"]);
  EXPECT_EQ(article["published"], golden["published"]);
  EXPECT_EQ(article["site"], "local");

  // Without a site for that host the captures are stored, not parsed, and the summary says so.
  const std::string other = dir + "/b.sqlite";
  r = provarc(other, {"import-warc", fixture_path(kWgetFixture)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out,
                       "hosts no configured site claims (stored, not parsed): "
                       "127.0.0.1:8765 (5)"))
      << r.out;
  EXPECT_EQ(capture_rows(other, true).size(), 5u);
}

TEST(CliWarc, DamagedAndMissingFilesArePartialFailuresNamingTheFile) {
  const std::string dir = temp_dir();
  const std::string bytes = read_file(fixture_path(kWgetFixture));
  const std::string cut = dir + "/cut.warc.gz";
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  RunResult r = provarc(dir + "/a.sqlite", {"import-warc", cut, dir + "/missing.warc.gz"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "provarc import-warc: " + cut + ": gzip member at byte offset "))
      << r.err;
  EXPECT_TRUE(contains(r.err, "truncated")) << r.err;
  EXPECT_TRUE(contains(r.err, dir + "/missing.warc.gz: no such file")) << r.err;
  EXPECT_GE(capture_rows(dir + "/a.sqlite", true).size(), 1u);  // what came before the cut
}

// The byte offset and length of the record of `url` in an export, from its CDXJ index.
std::pair<size_t, size_t> record_of(const std::string& dir, const std::string& url) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".cdxj") continue;
    std::istringstream index(read_file(entry.path().string()));
    for (std::string line; std::getline(index, line);) {
      json fields = json::parse(line.substr(line.find('{')));
      if (fields["url"] == url) {
        return {std::stoul(fields["offset"].get<std::string>()),
                std::stoul(fields["length"].get<std::string>())};
      }
    }
  }
  ADD_FAILURE() << url << " is not in the index of " << dir;
  return {0, 0};
}

TEST(CliWarc, DamagedGzippedExportImportsEveryUndamagedRecord) {
  const std::string dir = temp_dir();
  const std::string a = dir + "/a.sqlite", b = dir + "/b.sqlite";
  make_sample_archive(a);
  RunResult exported = provarc(a, {"export", "--format", "warc", "--out", dir + "/warc"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::string file = warc_files(dir + "/warc")[0];
  // 64 bytes damaged in the middle of one response's gzip member (the image, fetched early).
  const std::string damaged_url = "https://sotttt.backan.gov.vn/PublishingImages/anh.png";
  auto [offset, length] = record_of(dir + "/warc", damaged_url);
  ASSERT_GT(length, 80u);
  std::string bytes = read_file(file);
  for (size_t i = offset + length / 2 - 32; i < offset + length / 2 + 32; ++i) bytes[i] ^= 0x5a;
  const std::string damaged = dir + "/damaged.warc.gz";
  std::ofstream(damaged, std::ios::binary) << bytes;

  RunResult r = provarc(b, {"import-warc", damaged});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "imported 9 captures from 1 files")) << r.out;
  EXPECT_TRUE(contains(r.out, "unreadable records 1")) << r.out;
  EXPECT_TRUE(contains(r.err, "provarc import-warc: " + damaged + ": gzip member at byte offset " +
                                  std::to_string(offset) + " is "))
      << r.err;
  EXPECT_TRUE(contains(r.err, "; reading resumes at byte offset ")) << r.err;
  std::vector<std::vector<std::string>> expected;
  for (const auto& row : capture_rows(a, /*with_errors=*/false)) {
    if (row[0] != damaged_url) expected.push_back(row);
  }
  EXPECT_EQ(capture_rows(b, /*with_errors=*/true), expected);
}

TEST(CliWarc, AnEmptyFileIsAWarningNotASuccess) {
  const std::string dir = temp_dir();
  const std::string empty = dir + "/empty.warc.gz";
  std::ofstream(empty, std::ios::binary).flush();
  RunResult r = provarc(dir + "/a.sqlite", {"import-warc", empty});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "provarc import-warc: " + empty + ": an empty file (0 bytes)"))
      << r.err;
  EXPECT_TRUE(contains(r.out, "imported 0 captures from 1 files")) << r.out;
}

TEST(CliWarc, AGzipBombIsStoredAsAnErrorCaptureAndReported) {
  const std::string dir = temp_dir();
  // 64 MiB of zeros, 64 KiB gzipped: over the default cap of 50 MiB once decoded.
  Result<std::string> bomb = gzip_member(std::string(64 << 20, '\0'));
  ASSERT_TRUE(bomb.ok());
  const std::string warc_path = dir + "/bomb.warc";
  {
    const std::string block = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                              "Content-Encoding: gzip\r\n\r\n" + *bomb;
    std::ofstream(warc_path, std::ios::binary)
        << "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://bom.example/\r\n"
           "WARC-Date: 2026-11-21T23:55:25Z\r\nContent-Type: application/http;msgtype=response\r\n"
           "Content-Length: " << block.size() << "\r\n\r\n" << block << "\r\n\r\n";
  }
  RunResult r = provarc(dir + "/a.sqlite", {"import-warc", warc_path});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, warc_path + ": byte offset 0: http://bom.example/: body larger than "))
      << r.err;
  EXPECT_TRUE(contains(r.out, "over the size cap 1")) << r.out;
  std::vector<std::vector<std::string>> rows = capture_rows(dir + "/a.sqlite", true);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][3], "error");  // not an "ok" page still gzipped
  EXPECT_EQ(rows[0][7], "");       // no body
}

TEST(CliWarc, AFailedExportLeavesNoHalfWrittenFile) {
  const std::string dir = temp_dir();
  const std::string a = dir + "/a.sqlite";
  import_fixture_pages(a, "bac-kan", "bac-kan", "2026-05-01T10:00:00.000Z", 3);
  // The last capture's body damaged: the export fails on it, with a file open.
  testing::exec_sql(a, "UPDATE blobs SET data = substr(data, 1, 20) || zeroblob(50) WHERE id = "
                       "(SELECT blob_id FROM captures ORDER BY fetched_at DESC, id DESC LIMIT 1)");
  RunResult r = provarc(a, {"export", "--format", "warc", "--out", dir + "/warc"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  for (const auto& entry : fs::directory_iterator(dir + "/warc")) {
    EXPECT_FALSE(entry.path().string().ends_with(".open")) << entry.path();
  }
}

}  // namespace
}  // namespace provarc
