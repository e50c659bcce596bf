// WARC export and import: captures written by WarcWriter read back by WarcCaptureReader, revisit
// profiles, rotation, the CDXJ index, GNU wget's and Heritrix's files, and malformed input.
#include "archive/warc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "archive/cdxj.h"
#include "archive/gzip.h"
#include "archive/warc_http.h"
#include "common/digest.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;
using testing::fixture_path;
using testing::read_file;
using testing::temp_dir;

const char kWgetFixture[] = "warc/wget-1.21.3.warc.gz";

// ---- Captures to write

Capture page_capture(const std::string& url, const std::string& body,
                     const std::string& fetched_at) {
  Capture c;
  c.url = url;
  c.site = "bac-kan";
  c.fetched_at = fetched_at;
  c.status = 200;
  c.http_version = "HTTP/1.1";
  c.request_headers = {{"Host", "sotttt.backan.gov.vn"},
                       {"User-Agent", "provarc/0.1.0 (+https://github.com/provarc/provarc)"},
                       {"Accept-Encoding", "gzip"}};
  // As received: the body was gzipped and chunked on the wire; the archive keeps it decoded.
  c.response_headers = {{"Content-Type", "text/html; charset=utf-8"},
                        {"Content-Encoding", "gzip"},
                        {"Transfer-Encoding", "chunked"},
                        {"ETag", "\"a1\""}};
  c.body = body;
  c.ip = "203.162.0.10";
  return c;
}

// A binary body (NULs, CRLFs) with a Content-Length that was the encoded size on the wire.
Capture image_capture() {
  Capture c;
  c.url = "https://sotttt.backan.gov.vn/Images/anh%201.png";
  c.site = "bac-kan";
  c.kind = CaptureKind::kImage;
  c.fetched_at = "2026-11-21T23:55:27.005Z";
  c.status = 200;
  c.http_version = "HTTP/1.1";
  c.request_headers = {{"Host", "sotttt.backan.gov.vn"}};
  c.response_headers = {{"Content-Type", "image/png"}, {"Content-Length", "3"}};
  c.body = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + "\r\n\r\nWARC/1.1\r\n";
  return c;
}

Capture not_found_capture() {
  Capture c;
  c.url = "https://sotttt.backan.gov.vn/khong-co.aspx?id=1&a=2";
  c.fetched_at = "2026-11-21T23:55:28.000Z";
  c.status = 404;
  c.http_version = "HTTP/1.1";
  c.response_headers = {{"Content-Type", "text/html"}, {"Content-Length", "9"}};
  c.body = "not found";
  return c;
}

Capture redirect_capture() {
  Capture c;
  c.url = "https://sotttt.backan.gov.vn/tin-cu.aspx";
  c.fetched_at = "2026-11-21T23:55:29.000Z";
  c.status = 301;
  c.http_version = "HTTP/1.1";
  c.response_headers = {{"Location", "/tin-moi.aspx"}, {"Content-Length", "0"}};
  c.redirect_target = "https://sotttt.backan.gov.vn/tin-moi.aspx";
  return c;
}

Capture not_modified_capture(const std::string& url, const std::string& fetched_at) {
  Capture c;
  c.url = url;
  c.fetched_at = fetched_at;
  c.outcome = CaptureOutcome::kNotModified;
  c.status = 304;
  c.http_version = "HTTP/1.1";
  c.request_headers = {{"If-None-Match", "\"a1\""}};
  c.response_headers = {{"ETag", "\"a1\""}};
  return c;
}

Capture error_capture() {
  Capture c;
  c.url = "https://sotttt.backan.gov.vn/cham.aspx";
  c.fetched_at = "2026-11-21T23:55:30.000Z";
  c.outcome = CaptureOutcome::kError;
  c.error = "timeout after 120 s";
  return c;
}

const std::string kArticleA = "<html><body><h1>Tin A</h1><p>Chuyển đổi số</p></body></html>";
const std::string kArticleB = "<html><body><h1>Tin B</h1><p>Hạ tầng số</p></body></html>";

// ---- Helpers

WarcExportCounts write_all(const std::vector<Capture>& captures, const std::string& dir,
                           int64_t max_file_bytes = kDefaultWarcFileBytes) {
  WarcWriterOptions options;
  options.directory = dir;
  options.max_file_bytes = max_file_bytes;
  Result<std::unique_ptr<WarcWriter>> writer = WarcWriter::create(options);
  EXPECT_TRUE(writer.ok()) << (writer.ok() ? "" : writer.error());
  if (!writer.ok()) return {};
  for (const Capture& c : captures) {
    Status s = (*writer)->write(c);
    EXPECT_TRUE(s.ok()) << s.error();
  }
  Result<WarcExportCounts> counts = (*writer)->finish();
  EXPECT_TRUE(counts.ok()) << (counts.ok() ? "" : counts.error());
  return counts.ok() ? *counts : WarcExportCounts{};
}

struct ReadBack {
  std::vector<WarcCapture> captures;
  std::vector<std::string> errors;
  int64_t records = 0;
  int64_t others = 0;
};

ReadBack read_captures(std::unique_ptr<WarcReader> reader) {
  ReadBack out;
  WarcCaptureReader captures(std::move(reader));
  for (int guard = 0; guard < 10000; ++guard) {
    Result<std::optional<WarcCapture>> next = captures.next();
    if (!next.ok()) {
      out.errors.push_back(next.error());
      continue;
    }
    if (!next->has_value()) break;
    out.captures.push_back(std::move(**next));
  }
  out.records = captures.records();
  out.others = captures.other_records();
  return out;
}

ReadBack read_file_captures(const std::string& path) {
  Result<std::unique_ptr<WarcReader>> reader = WarcReader::open(path);
  EXPECT_TRUE(reader.ok()) << (reader.ok() ? "" : reader.error());
  if (!reader.ok()) return {};
  return read_captures(std::move(*reader));
}

ReadBack read_bytes_captures(const std::string& bytes, const WarcReaderOptions& options = {}) {
  std::istringstream in(bytes);
  return read_captures(std::make_unique<WarcReader>(in, "mem.warc", options));
}

struct Records {
  std::vector<WarcRecord> records;
  std::vector<std::string> errors;
};

Records read_records(const std::string& bytes, const WarcReaderOptions& options = {}) {
  std::istringstream in(bytes);
  WarcReader reader(in, "mem.warc", options);
  Records out;
  for (int guard = 0; guard < 10000; ++guard) {
    Result<std::optional<WarcRecord>> next = reader.next();
    if (!next.ok()) {
      out.errors.push_back(next.error());
      continue;
    }
    if (!next->has_value()) break;
    out.records.push_back(std::move(**next));
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A plain (uncompressed) record as a WARC writer would put it in a file.
std::string plain_record(const std::string& type, const std::string& uri,
                         const std::string& content_type, const std::string& block,
                         const std::string& extra_fields = "") {
  std::string r = "WARC/1.0\r\nWARC-Type: " + type + "\r\n";
  if (!uri.empty()) r += "WARC-Target-URI: " + uri + "\r\n";
  r += "WARC-Date: 2024-05-20T08:00:00Z\r\nWARC-Record-ID: <urn:uuid:" + type + ">\r\n";
  if (!content_type.empty()) r += "Content-Type: " + content_type + "\r\n";
  r += extra_fields;
  r += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
  return r;
}

void expect_same_capture(const Capture& expected, const Capture& actual) {
  SCOPED_TRACE(expected.url);
  EXPECT_EQ(actual.url, expected.url);
  EXPECT_EQ(actual.fetched_at, expected.fetched_at);
  EXPECT_EQ(actual.outcome, expected.outcome);
  EXPECT_EQ(actual.status, expected.status);
  EXPECT_EQ(actual.http_version, expected.http_version);
  EXPECT_EQ(actual.response_headers, expected.response_headers);
  EXPECT_EQ(actual.request_headers, expected.request_headers);
  EXPECT_EQ(actual.body, expected.body);
  EXPECT_EQ(actual.ip, expected.ip);
  EXPECT_EQ(actual.redirect_target, expected.redirect_target);
}

// ---- Round trip

TEST(Warc, WrittenCapturesReadBackAsTheyWere) {
  const std::string dir = temp_dir();
  Capture a = page_capture("https://sotttt.backan.gov.vn/tin-a.aspx", kArticleA,
                           "2026-11-21T23:55:25.123Z");
  std::vector<Capture> captures = {a, image_capture(), not_found_capture(), redirect_capture()};
  WarcExportCounts counts = write_all(captures, dir);
  EXPECT_EQ(counts.responses, 4);
  EXPECT_EQ(counts.requests, 2);  // the 404 and the redirect have no request headers
  ASSERT_EQ(counts.files.size(), 1u);
  EXPECT_TRUE(fs::exists(counts.index));

  ReadBack back = read_file_captures(counts.files[0]);
  EXPECT_TRUE(back.errors.empty()) << back.errors[0];
  ASSERT_EQ(back.captures.size(), captures.size());
  for (size_t i = 0; i < captures.size(); ++i) {
    expect_same_capture(captures[i], back.captures[i].capture);
    EXPECT_EQ(back.captures[i].type, WarcCaptureType::kResponse);
    EXPECT_EQ(back.captures[i].payload_digest, "sha1:" + sha1_base32(captures[i].body));
  }
  EXPECT_EQ(back.captures[0].capture.kind, CaptureKind::kPage);
  EXPECT_EQ(back.captures[1].capture.kind, CaptureKind::kImage);
  EXPECT_EQ(back.records, 1 + 4 + 2);  // warcinfo, responses, requests
  EXPECT_EQ(back.others, 1);           // the warcinfo
}

TEST(Warc, ResponseBlockIsAValidHttpMessageOfTheStoredPayload) {
  const std::string dir = temp_dir();
  Capture a = page_capture("https://sotttt.backan.gov.vn/tin-a.aspx", kArticleA,
                           "2026-11-21T23:55:25.123Z");
  a.response_headers.push_back({"Content-Length", "17"});  // the gzipped size on the wire
  WarcExportCounts counts = write_all({a}, dir);
  ASSERT_EQ(counts.files.size(), 1u);
  Records read = read_records(read_file(counts.files[0]));
  ASSERT_TRUE(read.errors.empty()) << read.errors[0];
  ASSERT_EQ(read.records.size(), 3u);
  EXPECT_EQ(read.records[0].type(), "warcinfo");
  EXPECT_EQ(read.records[0].version, "WARC/1.1");
  EXPECT_EQ(read.records[1].type(), "request");
  EXPECT_EQ(
      read.records[1].block.rfind("GET /tin-a.aspx HTTP/1.1\r\nHost: sotttt.backan.gov.vn\r\n", 0),
      0u);
  const WarcRecord& response = read.records[2];
  EXPECT_EQ(response.type(), "response");
  EXPECT_EQ(response.field("WARC-Date"), "2026-11-21T23:55:25.123Z");
  EXPECT_EQ(response.field("WARC-Concurrent-To"), read.records[1].field("WARC-Record-ID"));
  EXPECT_EQ(response.field("WARC-Warcinfo-ID"), read.records[0].field("WARC-Record-ID"));
  EXPECT_EQ(response.field("WARC-IP-Address"), "203.162.0.10");
  EXPECT_EQ(response.field("WARC-Block-Digest"), "sha1:" + sha1_base32(response.block));
  EXPECT_EQ(response.field("WARC-Payload-Digest"), "sha1:" + sha1_base32(kArticleA));
  const std::string expected_head =
      "HTTP/1.1 200 OK\r\n"
      "Content-Type: text/html; charset=utf-8\r\n"
      "X-Archive-Orig-Content-Encoding: gzip\r\n"
      "X-Archive-Orig-Transfer-Encoding: chunked\r\n"
      "ETag: \"a1\"\r\n"
      "X-Archive-Orig-Content-Length: 17\r\n"
      "Content-Length: " +
      std::to_string(kArticleA.size()) + "\r\n\r\n";
  EXPECT_EQ(response.block, expected_head + kArticleA);
}

TEST(Warc, HeaderValuesCannotBreakTheRecord) {
  Capture a = page_capture("https://sotttt.backan.gov.vn/tin-a.aspx", kArticleA,
                           "2026-11-21T23:55:25.123Z");
  a.response_headers = {{"X-Evil", "a\r\n\r\nWARC/1.1"}, {"Bad Name", "x"}, {"Ok", "y"}};
  const std::string dir = temp_dir();
  WarcExportCounts counts = write_all({a}, dir);
  ASSERT_EQ(counts.files.size(), 1u);
  ReadBack back = read_file_captures(counts.files[0]);
  ASSERT_TRUE(back.errors.empty()) << back.errors[0];
  ASSERT_EQ(back.captures.size(), 1u);
  EXPECT_EQ(back.captures[0].capture.response_headers,
            (std::vector<HttpHeader>{{"X-Evil", "a    WARC/1.1"}, {"Ok", "y"}}));
  EXPECT_EQ(back.captures[0].capture.body, kArticleA);
}

TEST(Warc, CapturesWithoutAResponseAreSkipped) {
  Capture bad_url = not_found_capture();
  bad_url.url = "ftp://example.org/x";
  Capture bad_time = not_found_capture();
  bad_time.fetched_at = "yesterday";
  const std::string dir = temp_dir();
  WarcExportCounts counts = write_all({error_capture(), bad_url, bad_time}, dir);
  EXPECT_EQ(counts.skipped, 3);
  EXPECT_EQ(counts.responses, 0);
  EXPECT_TRUE(counts.files.empty());  // no capture, no file
  EXPECT_EQ(read_file(counts.index), "");
}

// ---- Revisits

TEST(Warc, IdenticalPayloadBecomesARevisitOfTheFirstRecord) {
  const std::string dir = temp_dir();
  Capture first = page_capture("https://sotttt.backan.gov.vn/tin-a.aspx", kArticleA,
                               "2026-11-21T23:55:25.123Z");
  Capture again = page_capture("https://sotttt.backan.gov.vn/tin-a.aspx?print=1", kArticleA,
                               "2026-11-22T01:00:00.000Z");
  WarcExportCounts counts = write_all({first, again}, dir);
  EXPECT_EQ(counts.responses, 1);
  EXPECT_EQ(counts.identical_revisits, 1);
  ASSERT_EQ(counts.files.size(), 1u);

  Records read = read_records(read_file(counts.files[0]));
  ASSERT_EQ(read.records.size(), 5u);
  const WarcRecord& response = read.records[2];
  const WarcRecord& revisit = read.records[4];
  EXPECT_EQ(revisit.type(), "revisit");
  EXPECT_EQ(revisit.field("WARC-Profile"),
            "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest");
  EXPECT_EQ(revisit.field("WARC-Refers-To"), response.field("WARC-Record-ID"));
  EXPECT_EQ(revisit.field("WARC-Refers-To-Target-URI"), first.url);
  EXPECT_EQ(revisit.field("WARC-Refers-To-Date"), first.fetched_at);
  EXPECT_EQ(revisit.field("WARC-Payload-Digest"), response.field("WARC-Payload-Digest"));
  EXPECT_EQ(revisit.block.find("Tin A"), std::string::npos);  // the head only
  EXPECT_EQ(revisit.block.substr(revisit.block.size() - 4), "\r\n\r\n");

  ReadBack back = read_file_captures(counts.files[0]);
  ASSERT_EQ(back.captures.size(), 2u);
  EXPECT_EQ(back.captures[1].type, WarcCaptureType::kIdenticalRevisit);
  EXPECT_EQ(back.captures[1].refers_to_uri, first.url);
  EXPECT_EQ(back.captures[1].refers_to_date, first.fetched_at);
  EXPECT_EQ(back.captures[1].capture.status, 200);
  EXPECT_EQ(back.captures[1].capture.response_headers, again.response_headers);
  EXPECT_EQ(back.captures[1].capture.body, "");  // until resolved by an import
}

TEST(Warc, NotModifiedBecomesAServerNotModifiedRevisit) {
  const std::string dir = temp_dir();
  Capture first = page_capture("https://sotttt.backan.gov.vn/tin-a.aspx", kArticleA,
                               "2026-11-21T23:55:25.123Z");
  Capture again = not_modified_capture(first.url, "2026-11-28T23:55:25.000Z");
  WarcExportCounts counts = write_all({first, again}, dir);
  EXPECT_EQ(counts.not_modified_revisits, 1);
  Records read = read_records(read_file(counts.files.at(0)));
  ASSERT_EQ(read.records.size(), 5u);
  const WarcRecord& revisit = read.records[4];
  EXPECT_EQ(revisit.type(), "revisit");
  EXPECT_EQ(revisit.field("WARC-Profile"),
            "http://netpreserve.org/warc/1.1/revisit/server-not-modified");
  EXPECT_EQ(revisit.field("WARC-Payload-Digest"), "");
  EXPECT_EQ(revisit.field("WARC-Refers-To"), read.records[2].field("WARC-Record-ID"));
  EXPECT_EQ(revisit.field("WARC-Refers-To-Target-URI"), first.url);
  EXPECT_EQ(revisit.field("WARC-Refers-To-Date"), first.fetched_at);
  EXPECT_EQ(revisit.block, "HTTP/1.1 304 Not Modified\r\nETag: \"a1\"\r\n\r\n");

  ReadBack back = read_file_captures(counts.files[0]);
  ASSERT_EQ(back.captures.size(), 2u);
  EXPECT_EQ(back.captures[1].type, WarcCaptureType::kNotModifiedRevisit);
  expect_same_capture(again, back.captures[1].capture);
}

TEST(Warc, NotModifiedWithoutAnEarlierResponseRefersToNothing) {
  const std::string dir = temp_dir();
  WarcExportCounts counts =
      write_all({not_modified_capture("https://a.vn/x", "2026-11-28T23:55:25.000Z")}, dir);
  Records read = read_records(read_file(counts.files.at(0)));
  ASSERT_EQ(read.records.size(), 3u);
  EXPECT_EQ(read.records[2].type(), "revisit");
  EXPECT_EQ(read.records[2].field("WARC-Refers-To"), "");
  EXPECT_EQ(read.records[2].field("WARC-Refers-To-Target-URI"), "");
}

TEST(Warc, EmptyBodiesAreNotDeduplicated) {
  const std::string dir = temp_dir();
  Capture r1 = redirect_capture();
  Capture r2 = redirect_capture();
  r2.fetched_at = "2026-11-22T00:00:00.000Z";
  WarcExportCounts counts = write_all({r1, r2}, dir);
  EXPECT_EQ(counts.responses, 2);
  EXPECT_EQ(counts.identical_revisits, 0);
}

// ---- Import into an archive

std::unique_ptr<Archive> new_archive(const std::string& dir) {
  Result<std::unique_ptr<Archive>> archive = Archive::open(dir + "/archive.sqlite");
  EXPECT_TRUE(archive.ok()) << (archive.ok() ? "" : archive.error());
  return archive.ok() ? std::move(*archive) : nullptr;
}

TEST(WarcImport, RevisitsGetTheirPayloadAndReimportingAddsNothing) {
  const std::string dir = temp_dir();
  Capture first = page_capture("https://sotttt.backan.gov.vn/tin-a.aspx", kArticleA,
                               "2026-11-21T23:55:25.123Z");
  Capture copy = page_capture("https://sotttt.backan.gov.vn/in/tin-a.aspx", kArticleA,
                              "2026-11-21T23:56:00.000Z");
  Capture other = page_capture("https://sotttt.backan.gov.vn/tin-b.aspx", kArticleB,
                               "2026-11-21T23:57:00.000Z");
  Capture same = not_modified_capture(first.url, "2026-11-28T23:55:25.000Z");
  WarcExportCounts counts = write_all({first, copy, other, same}, dir + "/out");
  ASSERT_EQ(counts.files.size(), 1u);

  std::unique_ptr<Archive> archive = new_archive(dir);
  ASSERT_TRUE(archive);
  std::vector<Capture> stored;
  WarcImport import(*archive, [&](const Capture& c) -> Result<int64_t> {
    stored.push_back(c);
    Capture with_site = c;
    with_site.site = "bac-kan";
    return archive->store_capture(with_site, 0);
  });
  ASSERT_TRUE(import.import_file(counts.files[0]).ok());
  EXPECT_EQ(import.counts().captures, 4);
  EXPECT_EQ(import.counts().unresolved_revisits, 0);
  EXPECT_TRUE(import.counts().errors.empty());
  ASSERT_EQ(stored.size(), 4u);
  expect_same_capture(copy, stored[1]);  // the revisit's body came from the first capture
  expect_same_capture(same, stored[3]);

  Result<std::optional<StoredCapture>> latest = archive->latest_capture(copy.url, true);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->capture.body, kArticleA);
  EXPECT_EQ((*latest)->payload_digest, sha256_hex(kArticleA));

  // A second import of the same file adds nothing.
  ASSERT_TRUE(import.import_file(counts.files[0]).ok());
  EXPECT_EQ(import.counts().captures, 4);
  EXPECT_EQ(import.counts().already_stored, 4);
  EXPECT_EQ(import.counts().files, 2);
}

TEST(WarcImport, RevisitOfAPayloadNowhereToBeFoundIsReportedNotStored) {
  const std::string dir = temp_dir();
  Capture first = page_capture("https://sotttt.backan.gov.vn/tin-a.aspx", kArticleA,
                               "2026-11-21T23:55:25.123Z");
  Capture copy = page_capture("https://sotttt.backan.gov.vn/in/tin-a.aspx", kArticleA,
                              "2026-11-21T23:56:00.000Z");
  WarcExportCounts counts = write_all({first, copy}, dir + "/out", /*max_file_bytes=*/1);
  ASSERT_EQ(counts.files.size(), 2u);  // the revisit is alone in the second file

  std::unique_ptr<Archive> archive = new_archive(dir);
  ASSERT_TRUE(archive);
  int stores = 0;
  WarcImport import(*archive, [&](const Capture& c) -> Result<int64_t> {
    ++stores;
    return archive->store_capture(c, 0);
  });
  ASSERT_TRUE(import.import_file(counts.files[1]).ok());
  EXPECT_EQ(stores, 0);
  EXPECT_EQ(import.counts().unresolved_revisits, 1);
  ASSERT_EQ(import.counts().errors.size(), 1u);
  EXPECT_NE(import.counts().errors[0].find(counts.files[1] + ": byte offset "), std::string::npos);
  EXPECT_NE(import.counts().errors[0].find(copy.url), std::string::npos);

  // Once the first file is in the archive, the revisit resolves through WARC-Refers-To-Target-URI.
  WarcImport later(*archive, [&](const Capture& c) -> Result<int64_t> {
    ++stores;
    return archive->store_capture(c, 0);
  });
  ASSERT_TRUE(later.import_file(counts.files[0]).ok());
  WarcImport last(*archive, [&](const Capture& c) -> Result<int64_t> {
    ++stores;
    return archive->store_capture(c, 0);
  });
  ASSERT_TRUE(last.import_file(counts.files[1]).ok());
  EXPECT_EQ(last.counts().unresolved_revisits, 0);
  EXPECT_EQ(stores, 2);
}

TEST(WarcImport, AFileThatCannotBeOpenedFailsNamingIt) {
  const std::string dir = temp_dir();
  std::unique_ptr<Archive> archive = new_archive(dir);
  ASSERT_TRUE(archive);
  WarcImport import(*archive, [](const Capture&) -> Result<int64_t> { return int64_t{1}; });
  Status s = import.import_file(dir + "/missing.warc.gz");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find(dir + "/missing.warc.gz: cannot open"), std::string::npos);
}

// ---- Rotation and the index

TEST(Warc, FilesRotateAtTheSizeLimitEachWithItsWarcinfo) {
  const std::string dir = temp_dir();
  std::vector<Capture> captures = {page_capture("https://sotttt.backan.gov.vn/tin-a.aspx",
                                                kArticleA, "2026-11-21T23:55:25.123Z"),
                                   page_capture("https://sotttt.backan.gov.vn/tin-b.aspx",
                                                kArticleB, "2026-11-21T23:55:26.000Z"),
                                   not_found_capture()};
  WarcExportCounts counts = write_all(captures, dir, /*max_file_bytes=*/200);
  ASSERT_EQ(counts.files.size(), 3u);
  for (size_t i = 0; i < counts.files.size(); ++i) {
    SCOPED_TRACE(counts.files[i]);
    const std::string serial = "-0000" + std::to_string(i) + ".warc.gz";
    EXPECT_EQ(counts.files[i].substr(counts.files[i].size() - serial.size()), serial);
    EXPECT_FALSE(fs::exists(counts.files[i] + ".open"));
    Records read = read_records(read_file(counts.files[i]));
    ASSERT_TRUE(read.errors.empty()) << read.errors[0];
    ASSERT_FALSE(read.records.empty());
    EXPECT_EQ(read.records[0].type(), "warcinfo");
    EXPECT_EQ(read.records[0].field("WARC-Filename"),
              fs::path(counts.files[i]).filename().string());
    EXPECT_EQ(read.records.back().target_uri(), captures[i].url);
  }
  // A large limit keeps them together.
  WarcExportCounts together = write_all(captures, temp_dir());
  EXPECT_EQ(together.files.size(), 1u);
}

TEST(Warc, IndexIsSortedAndEachLinePointsAtItsGzipMember) {
  const std::string dir = temp_dir();
  std::vector<Capture> captures = {
      page_capture("https://www.sotttt.backan.gov.vn/tin-b.aspx", kArticleB,
                   "2026-11-21T23:55:26.000Z"),
      page_capture("https://sotttt.backan.gov.vn/tin-a.aspx", kArticleA,
                   "2026-11-21T23:55:25.123Z"),
      page_capture("https://sotttt.backan.gov.vn/in/tin-a.aspx", kArticleA,
                   "2026-11-21T23:56:00.000Z"),
      not_modified_capture("https://sotttt.backan.gov.vn/tin-a.aspx", "2026-11-28T00:00:00.000Z"),
      image_capture(),
      not_found_capture()};
  WarcExportCounts counts = write_all(captures, dir, /*max_file_bytes=*/1500);
  ASSERT_GE(counts.files.size(), 2u);
  std::vector<std::string> lines = lines_of(read_file(counts.index));
  ASSERT_EQ(lines.size(), captures.size());
  EXPECT_TRUE(std::is_sorted(lines.begin(), lines.end()));
  EXPECT_EQ(lines[0].substr(0, lines[0].find(' ')), "vn,gov,backan,sotttt)/images/anh%201.png");

  for (const std::string& line : lines) {
    SCOPED_TRACE(line);
    size_t first = line.find(' '), second = line.find(' ', first + 1);
    nlohmann::json entry = nlohmann::json::parse(line.substr(second + 1));
    const std::string file = dir + "/" + entry["filename"].get<std::string>();
    const std::string bytes = read_file(file);
    const size_t offset = std::stoul(entry["offset"].get<std::string>());
    const size_t length = std::stoul(entry["length"].get<std::string>());
    ASSERT_LE(offset + length, bytes.size());
    // Exactly one gzip member holding exactly one record.
    Records read = read_records(bytes.substr(offset, length));
    ASSERT_TRUE(read.errors.empty()) << read.errors[0];
    ASSERT_EQ(read.records.size(), 1u);
    const WarcRecord& record = read.records[0];
    EXPECT_EQ(record.target_uri(), entry["url"]);
    EXPECT_EQ(line.substr(0, first), surt(record.target_uri()));
    EXPECT_EQ(line.substr(first + 1, second - first - 1),
              cdxj_timestamp(record.field("WARC-Date")));
    if (record.type() == "revisit") {
      EXPECT_EQ(entry["mime"], "warc/revisit");
    } else {
      EXPECT_EQ(record.type(), "response");
    }
    EXPECT_EQ(entry.value("digest", ""), record.field("WARC-Payload-Digest"));
    Result<HttpHead> head = parse_response_head(record.block);
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(entry["status"], std::to_string(head->status));
  }
}

TEST(Cdxj, SurtKeysAsWarcioComputesThem) {
  EXPECT_EQ(surt("https://www.Example.com:8080/a/B?z=1&a=2"), "com,example:8080)/a/b?a=2&z=1");
  EXPECT_EQ(surt("http://sotttt.backan.gov.vn/"), "vn,gov,backan,sotttt)/");
  EXPECT_EQ(surt("http://www2.dongthap.gov.vn:80/x"), "vn,gov,dongthap)/x");
  EXPECT_EQ(surt("https://wwwx.example.org/"), "org,example,wwwx)/");
  EXPECT_EQ(surt("dns:example.org"), "dns:example.org");
  EXPECT_EQ(cdxj_timestamp("2026-11-21T23:55:25.123Z"), "20261121235525");
}

// ---- Other writers' files

TEST(WarcRead, GnuWgetFileReadsIntoCaptures) {
  ReadBack back = read_file_captures(fixture_path(kWgetFixture));
  EXPECT_TRUE(back.errors.empty()) << back.errors[0];
  EXPECT_EQ(back.records, 13);
  EXPECT_EQ(back.others, 3);  // warcinfo, the log's metadata, the arguments' resource
  ASSERT_EQ(back.captures.size(), 5u);

  const Capture& robots = back.captures[0].capture;
  EXPECT_EQ(robots.url, "http://127.0.0.1:8765/robots.txt");
  EXPECT_EQ(robots.kind, CaptureKind::kRobots);
  EXPECT_EQ(robots.body, "User-agent: *\nDisallow: /admin/\n");
  EXPECT_EQ(robots.fetched_at.size(), 24u);
  EXPECT_EQ(robots.fetched_at.substr(19), ".000Z");
  EXPECT_EQ(robots.ip, "127.0.0.1");
  EXPECT_EQ(header_value(robots.request_headers, "User-Agent"), "Wget/1.21.3");

  // Served gzipped and chunked: the headers stay as received, the body is the decoded page.
  const Capture& article = back.captures[1].capture;
  EXPECT_EQ(article.url, "http://127.0.0.1:8765/tin-tuc/ra-mat-nen-tang.html");
  EXPECT_EQ(article.kind, CaptureKind::kPage);
  EXPECT_EQ(article.status, 200);
  EXPECT_EQ(header_value(article.response_headers, "Content-Encoding"), "gzip");
  EXPECT_EQ(header_value(article.response_headers, "Transfer-Encoding"), "chunked");
  EXPECT_EQ(article.body, read_file(fixture_path("generic/html5-article-quang-ngai-2024.html")));
  // wget digests the payload as it was on the wire; the digest is kept as recorded.
  EXPECT_EQ(back.captures[1].payload_digest, "sha1:5FKQPLYYBG2IUQI3YVVGT6ID6QV3BVGB");

  const Capture& moved = back.captures[2].capture;
  EXPECT_EQ(moved.status, 301);
  EXPECT_EQ(moved.redirect_target, "http://127.0.0.1:8765/tin-tuc/ra-mat-nen-tang.html");
  EXPECT_EQ(back.captures[3].capture.status, 404);
  const Capture& image = back.captures[4].capture;
  EXPECT_EQ(image.kind, CaptureKind::kImage);
  EXPECT_EQ(image.body.substr(1, 3), "PNG");
}

TEST(WarcRead, HeritrixOrderAndDnsRecords) {
  // Heritrix writes the response before its request, records DNS lookups as text/dns responses,
  // and brackets nothing.
  const std::string http_block =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello";
  std::string warc =
      plain_record("warcinfo", "", "application/warc-fields", "software: Heritrix/3.4\r\n") +
      plain_record("response", "dns:sotttt.backan.gov.vn", "text/dns",
                   "20240520080000\nsotttt.backan.gov.vn.\t300\tIN\tA\t203.162.0.10\n") +
      plain_record("response", "https://sotttt.backan.gov.vn/",
                   "application/http; msgtype=response", http_block,
                   "WARC-Payload-Digest: sha1:" + sha1_base32("hello") + "\r\n") +
      plain_record("request", "https://sotttt.backan.gov.vn/", "application/http; msgtype=request",
                   "GET / HTTP/1.1\r\nUser-Agent: Mozilla/5.0 (compatible; heritrix/3.4)\r\n\r\n") +
      plain_record("metadata", "https://sotttt.backan.gov.vn/", "application/warc-fields",
                   "outlink: https://sotttt.backan.gov.vn/a L a/@href\r\n");
  ReadBack back = read_bytes_captures(warc);
  EXPECT_TRUE(back.errors.empty()) << back.errors[0];
  ASSERT_EQ(back.captures.size(), 1u);
  const Capture& c = back.captures[0].capture;
  EXPECT_EQ(c.url, "https://sotttt.backan.gov.vn/");
  EXPECT_EQ(c.body, "hello");
  EXPECT_EQ(c.fetched_at, "2024-05-20T08:00:00.000Z");
  EXPECT_EQ(header_value(c.request_headers, "User-Agent"),
            "Mozilla/5.0 (compatible; heritrix/3.4)");
  EXPECT_EQ(back.others, 3);  // warcinfo, dns, metadata
}

TEST(WarcRead, ChunkedAndDeflatedBodiesAreDecoded) {
  Result<std::string> gz = gzip_member("xin chào");
  ASSERT_TRUE(gz.ok());
  std::string chunked;
  for (size_t i = 0; i < gz->size(); i += 7) {
    std::string piece = gz->substr(i, 7);
    char size[16];
    std::snprintf(size, sizeof size, "%zx;ext=1\r\n", piece.size());
    chunked += size + piece + "\r\n";
  }
  chunked += "0\r\nTrailer: x\r\n\r\n";
  std::string block =
      "HTTP/1.1 200 OK\nContent-Encoding: gzip\nTransfer-Encoding: chunked\n\n" + chunked;
  ReadBack back = read_bytes_captures(
      plain_record("response", "<http://a.vn/>", "application/http;msgtype=response", block));
  ASSERT_EQ(back.captures.size(), 1u);
  EXPECT_EQ(back.captures[0].capture.body, "xin chào");

  // Broken chunking or compression: the body is kept as recorded.
  std::string broken = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip at all";
  back = read_bytes_captures(
      plain_record("response", "http://a.vn/", "application/http;msgtype=response", broken));
  ASSERT_EQ(back.captures.size(), 1u);
  EXPECT_EQ(back.captures[0].capture.body, "not gzip at all");
}

TEST(WarcRead, ZipBombInARecordIsAnErrorCaptureNotAnOkOne) {
  // 64 MiB of zeros in less than 1 MiB: over the payload cap once decoded. Stored as the crawler
  // stores a body over its cap (an error capture, no body), never as an "ok" page still gzipped.
  std::string zeros(64 * 1024 * 1024, '\0');
  Result<std::string> bomb = gzip_member(zeros);
  ASSERT_TRUE(bomb.ok());
  ASSERT_LT(bomb->size(), 1024u * 1024u);
  WarcReaderOptions options;
  options.max_payload_bytes = 4 * 1024 * 1024;
  for (const char* coding : {"gzip", "x-gzip"}) {
    SCOPED_TRACE(coding);
    std::string block =
        std::string("HTTP/1.1 200 OK\r\nContent-Encoding: ") + coding + "\r\n\r\n" + *bomb;
    ReadBack back = read_bytes_captures(
        plain_record("response", "http://a.vn/", "application/http;msgtype=response", block),
        options);
    ASSERT_EQ(back.captures.size(), 1u);
    const Capture& c = back.captures[0].capture;
    EXPECT_EQ(c.outcome, CaptureOutcome::kError);
    EXPECT_EQ(c.error, "body larger than 4194304 bytes (after decoding): cut off");
    EXPECT_TRUE(c.body.empty());
    EXPECT_EQ(c.status, 200);
  }
  // Under the cap it is decoded as usual.
  options.max_payload_bytes = 64 * 1024 * 1024;
  ReadBack back = read_bytes_captures(
      plain_record("response", "http://a.vn/", "application/http;msgtype=response",
                   "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + *bomb),
      options);
  ASSERT_EQ(back.captures.size(), 1u);
  EXPECT_EQ(back.captures[0].capture.outcome, CaptureOutcome::kOk);
  EXPECT_EQ(back.captures[0].capture.body.size(), zeros.size());
}

// ---- Malformed input

TEST(WarcRead, TruncatedGzipEndsWithAnErrorNamingTheMember) {
  std::string bytes = read_file(fixture_path(kWgetFixture));
  std::string cut = bytes.substr(0, bytes.size() / 2);
  ReadBack back = read_bytes_captures(cut);
  ASSERT_EQ(back.errors.size(), 1u);
  EXPECT_EQ(back.errors[0].find("mem.warc: gzip member at byte offset "), 0u) << back.errors[0];
  EXPECT_NE(back.errors[0].find("truncated"), std::string::npos) << back.errors[0];
  EXPECT_GE(back.captures.size(), 1u);  // what came before the cut is read
  EXPECT_LT(back.captures.size(), 5u);
}

TEST(WarcRead, CorruptGzipMemberIsSkippedByTheNextOne) {
  // Four records, a gzip member each; the second member's compressed data is damaged.
  std::vector<std::string> members;
  for (const char* uri : {"http://a.vn/1", "http://a.vn/2", "http://a.vn/3"}) {
    Result<std::string> m = gzip_member(plain_record(
        "response", uri, "application/http", "HTTP/1.1 200 OK\r\n\r\nbody of " + std::string(uri)));
    ASSERT_TRUE(m.ok());
    members.push_back(*m);
  }
  members[1][12] ^= 0x55;
  members[1][13] ^= 0x55;
  Records read = read_records(members[0] + members[1] + members[2]);
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_NE(read.errors[0].find("byte offset " + std::to_string(members[0].size())),
            std::string::npos)
      << read.errors[0];
  EXPECT_NE(read.errors[0].find("reading resumes at byte offset " +
                                std::to_string(members[0].size() + members[1].size())),
            std::string::npos)
      << read.errors[0];
  // Reading goes on at the next member that inflates: only the damaged record is lost.
  ASSERT_EQ(read.records.size(), 2u);
  EXPECT_EQ(read.records[0].target_uri(), "http://a.vn/1");
  EXPECT_EQ(read.records[1].target_uri(), "http://a.vn/3");
}

TEST(WarcRead, BadHeaderInOneMemberDoesNotLoseTheNext) {
  Result<std::string> good1 = gzip_member(
      plain_record("response", "http://a.vn/1", "application/http", "HTTP/1.1 200 OK\r\n\r\n1"));
  Result<std::string> bad =
      gzip_member("WARC/1.1\r\nthis line has no colon\r\nContent-Length: 0\r\n\r\n");
  Result<std::string> good2 = gzip_member(
      plain_record("response", "http://a.vn/2", "application/http", "HTTP/1.1 200 OK\r\n\r\n2"));
  ASSERT_TRUE(good1.ok() && bad.ok() && good2.ok());
  ReadBack back = read_bytes_captures(*good1 + *bad + *good2);
  ASSERT_EQ(back.errors.size(), 1u);
  EXPECT_EQ(back.errors[0].find("mem.warc: byte offset " + std::to_string(good1->size()) +
                                ": malformed header line \"this line has no colon\""),
            0u)
      << back.errors[0];
  ASSERT_EQ(back.captures.size(), 2u);
  EXPECT_EQ(back.captures[1].capture.body, "2");
}

TEST(WarcRead, HugeContentLengthIsACleanError) {
  std::string bytes =
      "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99999999999999999\r\n\r\nxx";
  Records read = read_records(bytes);
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_EQ(read.errors[0],
            "mem.warc: byte offset 0: truncated: the block of 99999999999999999 bytes ends after 2 "
            "(the file ends); nothing readable after it");
  EXPECT_TRUE(read.records.empty());

  // Over the limit but present: skipped without being held, and the next record is read.
  WarcReaderOptions small;
  small.max_record_bytes = 10;
  std::string big =
      plain_record("resource", "http://a.vn/big", "text/plain", std::string(100, 'x'));
  std::string next = plain_record("resource", "http://a.vn/next", "text/plain", "ok");
  read = read_records(big + next, small);
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_NE(read.errors[0].find("Content-Length 100 is more than the limit of 10 bytes"),
            std::string::npos);
  ASSERT_EQ(read.records.size(), 1u);
  EXPECT_EQ(read.records[0].target_uri(), "http://a.vn/next");
  EXPECT_EQ(read.records[0].offset, static_cast<int64_t>(big.size()));
}

TEST(WarcRead, MalformedRecordsGiveErrorsWithOffsets) {
  struct Case {
    std::string bytes;
    std::string message;
  };
  const std::string good = plain_record("resource", "http://a.vn/", "text/plain", "ok");
  const std::vector<Case> cases = {
      {"<html>not a warc</html>\n", "mem.warc: byte offset 0: expected a WARC record"},
      {good + "GARBAGE\r\n",
       "byte offset " + std::to_string(good.size()) + ": expected a WARC record"},
      {"WARC/1.1\r\nWARC-Type: resource\r\n\r\n", "missing or malformed Content-Length"},
      {"WARC/1.1\r\nContent-Length: -5\r\n\r\n", "missing or malformed Content-Length \"-5\""},
      {"WARC/1.1\r\nContent-Length: 100\r\n\r\nshort",
       "truncated: the block of 100 bytes ends after 5"},
      {"WARC/1.1\r\nWARC-Type: resource\r\nContent-Len", "the data ends inside a header line"},
      {"WARC/1.1\r\nWARC-Type: x\r\n", "the data ends inside the record's header"},
      {"WARC/1.1\r\n" + std::string(100000, 'a'), "a header line longer than"},
      {"WARC/1.1\r\nWARC-Block-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\nContent-Length: "
       "2\r\n\r\nok",
       "WARC-Block-Digest does not match"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.bytes.substr(0, 60));
    Records read = read_records(c.bytes);
    ASSERT_EQ(read.errors.size(), 1u);
    EXPECT_NE(read.errors[0].find(c.message), std::string::npos) << read.errors[0];
    EXPECT_EQ(read.errors[0].rfind("mem.warc: ", 0), 0u) << read.errors[0];
  }
}

TEST(WarcRead, MalformedHttpAndDatesInResponsesAreErrors) {
  ReadBack back = read_bytes_captures(
      plain_record("response", "http://a.vn/", "application/http", "SMTP 250 ok\r\n\r\n") +
      plain_record("response", "http://a.vn/2", "application/http", "HTTP/1.1 200 OK\r\nno end") +
      plain_record("response", "http://a.vn/3", "application/http", "HTTP/1.1 200 OK\r\n\r\n"));
  ASSERT_EQ(back.errors.size(), 2u);
  EXPECT_NE(back.errors[0].find("malformed status line \"SMTP 250 ok\" in the response record of "
                                "http://a.vn/"),
            std::string::npos)
      << back.errors[0];
  EXPECT_NE(back.errors[1].find("headers do not end with an empty line"), std::string::npos);
  ASSERT_EQ(back.captures.size(), 1u);
  EXPECT_EQ(back.captures[0].capture.url, "http://a.vn/3");

  std::string bad_date =
      plain_record("response", "http://a.vn/", "application/http", "HTTP/1.1 200 OK\r\n\r\n");
  bad_date.replace(bad_date.find("2024-05-20T08:00:00Z"), 20, "20 May 2024 08:00:00");
  back = read_bytes_captures(bad_date);
  ASSERT_EQ(back.errors.size(), 1u);
  EXPECT_NE(back.errors[0].find("mem.warc: byte offset 0: WARC-Date: \"20 May 2024 08:00:00\" is "
                                "not a WARC date"),
            std::string::npos)
      << back.errors[0];
}

TEST(WarcRead, MutatedFilesNeverCrashOrHang) {
  // Writes a small export, then reads thousands of randomly damaged copies of it (gzipped and
  // plain): every read ends, with records or errors.
  const std::string dir = temp_dir();
  WarcExportCounts counts = write_all(
      {page_capture("https://sotttt.backan.gov.vn/tin-a.aspx", kArticleA,
                    "2026-11-21T23:55:25.123Z"),
       image_capture(), not_found_capture(),
       not_modified_capture("https://sotttt.backan.gov.vn/tin-a.aspx", "2026-11-28T00:00:00.000Z")},
      dir);
  ASSERT_EQ(counts.files.size(), 1u);
  const std::string gzipped = read_file(counts.files[0]);
  std::string plain;
  {
    std::istringstream in(gzipped);
    MemberStream stream(in);
    while (true) {
      Result<size_t> n = stream.read(1 << 16, plain);
      ASSERT_TRUE(n.ok());
      if (*n == 0) break;
    }
  }
  std::mt19937 random(20261122);
  for (const std::string* original : std::vector<const std::string*>{&gzipped, &plain}) {
    for (int round = 0; round < 1500; ++round) {
      std::string bytes = *original;
      const int edits = 1 + static_cast<int>(random() % 8);
      for (int e = 0; e < edits; ++e) {
        size_t at = random() % bytes.size();
        switch (random() % 3) {
          case 0: bytes[at] = static_cast<char>(random()); break;
          case 1: bytes.erase(at, 1 + random() % 16); break;
          default: bytes.insert(at, std::string(1 + random() % 4, "\r\n: 0"[random() % 5])); break;
        }
        if (bytes.empty()) bytes = "x";
      }
      ReadBack back = read_bytes_captures(bytes);
      EXPECT_LE(back.captures.size(), 4u);
    }
  }
}

// ---- The HTTP helpers

TEST(WarcHttp, RecordHeadersAndOriginalHeadersAreInverse) {
  const std::vector<std::vector<HttpHeader>> cases = {
      {{"Content-Type", "text/html"}, {"Content-Encoding", "gzip"}, {"Content-Length", "17"}},
      {{"Transfer-Encoding", "chunked"}, {"Content-Encoding", "br"}},
      {{"Content-Length", "5"}, {"Server", "IIS"}},
      {},
  };
  for (const auto& headers : cases) {
    EXPECT_EQ(original_headers(headers_for_record(headers, 5)), headers);
    EXPECT_EQ(original_headers(headers_for_record(headers, std::nullopt)), headers);
  }
  auto record = headers_for_record({{"Content-Length", "17"}}, 5);
  EXPECT_EQ(record, (std::vector<HttpHeader>{{"X-Archive-Orig-Content-Length", "17"},
                                             {"Content-Length", "5"}}));
}

TEST(WarcHttp, WarcDates) {
  EXPECT_EQ(*normalize_warc_date("2026-11-21T23:55:25Z"), "2026-11-21T23:55:25.000Z");
  EXPECT_EQ(*normalize_warc_date("2026-11-21T23:55:25.1Z"), "2026-11-21T23:55:25.100Z");
  EXPECT_EQ(*normalize_warc_date("2026-11-21T23:55:25.123456789Z"), "2026-11-21T23:55:25.123Z");
  for (const char* bad :
       {"", "2026-11-21", "2026-11-21T23:55:25", "2026-11-21T23:55:25.Z",
        "2026-11-21T23:55:25.1234567890Z", "2026-11-21 23:55:25Z", "2026-1a-21T23:55:25Z"}) {
    EXPECT_FALSE(normalize_warc_date(bad).ok()) << bad;
  }
}

TEST(WarcHttp, ChunkedDecodingRejectsBrokenFraming) {
  EXPECT_EQ(*decode_chunked("3\r\nabc\r\n0\r\n\r\n", 100), "abc");
  EXPECT_EQ(*decode_chunked("3\nabc\n0\n", 100), "abc");
  EXPECT_FALSE(decode_chunked("zz\r\nabc\r\n0\r\n\r\n", 100).ok());
  EXPECT_FALSE(decode_chunked("ffffffffffffffff\r\nabc", 100).ok());
  EXPECT_FALSE(decode_chunked("10\r\nabc\r\n", 100).ok());
  EXPECT_FALSE(decode_chunked("3\r\nabcX0\r\n", 100).ok());
  EXPECT_FALSE(decode_chunked("5\r\nabcde\r\n0\r\n\r\n", 4).ok());
}

}  // namespace
}  // namespace provarc
