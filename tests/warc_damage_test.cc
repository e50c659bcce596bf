// Damaged WARC files: a provarc export, gzipped (a member per record) and plain, damaged the ways
// disks and transfers damage files (flipped bytes, wrong, negative, 20-digit and 9 GB
// Content-Lengths, a header line over 64 KiB, garbage between records, a cut end). Every record
// that was not damaged must still be read, each damaged one reported with the file and its byte
// offset, and a file of garbage must take linear time.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "archive/gzip.h"
#include "archive/warc.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

using testing::read_file;
using testing::temp_dir;

constexpr int kCaptures = 30;

std::string url_of(int i) { return "https://sotttt.backan.gov.vn/tin/" + std::to_string(i) + ".aspx"; }

Capture capture_of(int i) {
  Capture c;
  c.url = url_of(i);
  c.site = "bac-kan";
  char time[64];
  std::snprintf(time, sizeof time, "2026-11-21T23:%02d:%02d.000Z", i / 60, i % 60);
  c.fetched_at = time;
  c.status = 200;
  c.http_version = "HTTP/1.1";
  c.request_headers = {{"Host", "sotttt.backan.gov.vn"}, {"User-Agent", "provarc/0.1.0"}};
  c.response_headers = {{"Content-Type", "text/html; charset=utf-8"}};
  // Bodies of a few KiB, different for every capture (no identical-payload revisits).
  c.body = "<html><body><h1>Tin " + std::to_string(i) + "</h1>";
  for (int p = 0; p < 40 + i; ++p) {
    c.body += "<p>Đoạn " + std::to_string(p) + " của tin " + std::to_string(i) + ".</p>\n";
  }
  c.body += "</body></html>";
  return c;
}

// A provarc export of kCaptures captures: a request and a response record each, after a
// warcinfo record, every record a gzip member.
std::string good_export() {
  WarcWriterOptions options;
  options.directory = temp_dir();
  Result<std::unique_ptr<WarcWriter>> writer = WarcWriter::create(options);
  EXPECT_TRUE(writer.ok());
  for (int i = 0; i < kCaptures; ++i) EXPECT_TRUE((*writer)->write(capture_of(i)).ok());
  Result<WarcExportCounts> counts = (*writer)->finish();
  EXPECT_TRUE(counts.ok() && counts->files.size() == 1u);
  return read_file(counts->files[0]);
}

// The gzip members of a file, as bytes, in order.
std::vector<std::string> members_of(const std::string& gzipped) {
  std::istringstream in(gzipped);
  WarcReader reader(in, "good.warc.gz");
  std::vector<int64_t> offsets;
  while (true) {
    Result<std::optional<WarcRecord>> next = reader.next();
    EXPECT_TRUE(next.ok());
    if (!next.ok() || !next->has_value()) break;
    offsets.push_back((*next)->offset);
  }
  offsets.push_back(static_cast<int64_t>(gzipped.size()));
  std::vector<std::string> members;
  for (size_t i = 0; i + 1 < offsets.size(); ++i) {
    members.push_back(gzipped.substr(offsets[i], offsets[i + 1] - offsets[i]));
  }
  return members;
}

std::string gunzip(const std::string& member) {
  std::istringstream in(member);
  MemberStream stream(in);
  std::string out;
  while (true) {
    Result<size_t> n = stream.read(1 << 16, out);
    EXPECT_TRUE(n.ok());
    if (!n.ok() || *n == 0) break;
  }
  return out;
}

std::string gzip(const std::string& data) {
  Result<std::string> member = gzip_member(data);
  EXPECT_TRUE(member.ok());
  return member.ok() ? *member : "";
}

// Record i of the export: 0 is warcinfo, then request 2k+1 and response 2k+2 of capture k.
int response_record(int capture) { return 2 * capture + 2; }
int request_record(int capture) { return 2 * capture + 1; }

// Replaces the WARC Content-Length of a record (the last field of provarc's headers).
std::string with_length(const std::string& record, const std::string& length) {
  const size_t header_end = record.find("\r\n\r\n");
  const size_t field = record.rfind("Content-Length: ", header_end);
  const size_t line_end = record.find("\r\n", field);
  std::string out = record;
  out.replace(field, line_end - field, "Content-Length: " + length);
  return out;
}

std::string with_long_header_line(const std::string& record) {
  std::string out = record;
  out.insert(out.find("\r\n") + 2, "X-Note: " + std::string(70 * 1024, 'a') + "\r\n");
  return out;
}

std::string block_length(const std::string& record) {
  const size_t header_end = record.find("\r\n\r\n");
  const size_t field = record.rfind("Content-Length: ", header_end) + 16;
  return record.substr(field, record.find("\r\n", field) - field);
}

// How each damaged record is damaged; the captures whose response is damaged are not expected.
struct Damage {
  int capture;
  std::string what;
};

const std::vector<Damage> kLengthDamages = {
    {3, "too small"}, {6, "too large"}, {9, "negative"}, {12, "20 digits"},
    {15, "9 GB"},     {18, "long line"}};

std::string damaged_record(const std::string& record, const std::string& what) {
  const int64_t length = std::stoll(block_length(record));
  if (what == "too small") return with_length(record, std::to_string(length - 7));
  if (what == "too large") return with_length(record, std::to_string(length + 5000));
  if (what == "negative") return with_length(record, "-" + std::to_string(length));
  if (what == "20 digits") return with_length(record, "12345678901234567890");
  if (what == "9 GB") return with_length(record, "9000000000");
  if (what == "long line") return with_long_header_line(record);
  ADD_FAILURE() << what;
  return record;
}

struct Read {
  std::set<std::string> urls;
  std::vector<std::string> errors;
  int64_t captures = 0;
};

Read read_all(const std::string& bytes, const std::string& name) {
  std::istringstream in(bytes);
  WarcCaptureReader reader(std::make_unique<WarcReader>(in, name));
  Read out;
  for (int guard = 0; guard < 10000000; ++guard) {
    Result<std::optional<WarcCapture>> next = reader.next();
    if (!next.ok()) {
      out.errors.push_back(next.error());
      continue;
    }
    if (!next->has_value()) break;
    ++out.captures;
    out.urls.insert((*next)->capture.url);
  }
  return out;
}

std::set<std::string> urls_except(const std::set<int>& lost) {
  std::set<std::string> urls;
  for (int i = 0; i < kCaptures; ++i) {
    if (lost.count(i) == 0) urls.insert(url_of(i));
  }
  return urls;
}

void expect_errors_name_file_and_offset(const std::vector<std::string>& errors,
                                        const std::string& name) {
  for (const std::string& e : errors) {
    EXPECT_EQ(e.rfind(name + ": ", 0), 0u) << e;
    EXPECT_NE(e.find("byte offset "), std::string::npos) << e;
  }
}

TEST(WarcDamage, GzippedExportKeepsEveryUndamagedRecord) {
  const std::vector<std::string> members = members_of(good_export());
  ASSERT_EQ(members.size(), 1u + 2 * kCaptures);
  std::vector<std::string> damaged = members;
  std::set<int> lost;
  for (const Damage& d : kLengthDamages) {
    const int r = response_record(d.capture);
    damaged[r] = gzip(damaged_record(gunzip(members[r]), d.what));
    lost.insert(d.capture);
  }
  // 64 bytes flipped in the middle of a member's deflate data (zlib reports it, or the CRC does).
  for (int capture : {21, 24}) {
    std::string& m = damaged[response_record(capture)];
    ASSERT_GT(m.size(), 200u);
    for (size_t i = m.size() / 2 - 32; i < m.size() / 2 + 32; ++i) m[i] = static_cast<char>(~m[i]);
    lost.insert(capture);
  }
  // A damaged request member loses the request headers only: its response is still a capture.
  std::string& request = damaged[request_record(26)];
  for (size_t i = 20; i < 84 && i < request.size() - 8; ++i) request[i] ^= 0x5a;
  std::string bytes;
  for (size_t i = 0; i < damaged.size(); ++i) {
    bytes += damaged[i];
    if (i == static_cast<size_t>(response_record(1))) bytes += std::string(1000, '\x42');  // junk
  }
  // The last member cut in half.
  bytes.resize(bytes.size() - damaged.back().size() / 2);
  lost.insert(kCaptures - 1);

  Read read = read_all(bytes, "damaged.warc.gz");
  EXPECT_EQ(read.urls, urls_except(lost));
  EXPECT_EQ(read.captures, kCaptures - static_cast<int64_t>(lost.size()));
  // One error at least per damaged record (and the junk, the request and the cut end).
  EXPECT_GE(read.errors.size(), lost.size() + 2);
  expect_errors_name_file_and_offset(read.errors, "damaged.warc.gz");
  for (const std::string& e : read.errors) std::cout << e << "\n";
}

TEST(WarcDamage, PlainExportKeepsEveryUndamagedRecord) {
  const std::vector<std::string> members = members_of(good_export());
  std::vector<std::string> records;
  for (const std::string& m : members) records.push_back(gunzip(m));
  std::set<int> lost;
  for (const Damage& d : kLengthDamages) {
    const int r = response_record(d.capture);
    records[r] = damaged_record(records[r], d.what);
    lost.insert(d.capture);
  }
  // A header line damaged (its colon gone), and garbage where a record should start.
  std::string& broken = records[response_record(21)];
  broken.replace(broken.find("WARC-Target-URI:"), 16, "WARC-Target-URI ");
  lost.insert(21);
  records[response_record(23)].insert(0, "garbage that is no record\r\n");
  std::string bytes;
  for (const std::string& r : records) bytes += r;
  bytes.resize(bytes.size() - records.back().size() / 2);
  lost.insert(kCaptures - 1);

  Read read = read_all(bytes, "damaged.warc");
  EXPECT_EQ(read.urls, urls_except(lost));
  EXPECT_EQ(read.captures, kCaptures - static_cast<int64_t>(lost.size()));
  EXPECT_GE(read.errors.size(), lost.size());
  expect_errors_name_file_and_offset(read.errors, "damaged.warc");
}

// Garbage full of things that look like records (version lines with wrong, huge and negative
// lengths, header lines over 64 KiB, gzip magic bytes), with `records` good records (gzip members
// when `gzipped`) among it. The first record comes first, so that the file is known as gzipped.
std::string garbage_with_records(size_t size, bool gzipped, int records, uint32_t seed) {
  std::mt19937 random(seed);
  auto junk = [&](size_t n) {
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(random());
    return out;
  };
  auto record = [&](int i) {
    Capture c = capture_of(i);
    std::string block = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + c.body;
    std::string r = "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: " + c.url +
                    "\r\nWARC-Date: 2026-11-21T23:00:00Z\r\nContent-Type: application/http\r\n"
                    "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block +
                    "\r\n\r\n";
    return gzipped ? gzip(r) : "\n" + r;
  };
  std::string out = record(0);
  const size_t every = size / static_cast<size_t>(records);
  int written = 1;
  while (out.size() < size) {
    if (out.size() >= static_cast<size_t>(written) * every && written < records) {
      out += record(written++);
      continue;
    }
    switch (random() % 8) {
      case 0: out += "\nWARC/1.1\r\nContent-Length: " + std::to_string(random()) + "\r\n\r\n"; break;
      case 1: out += "\nWARC/1.0\nContent-Length: 99999999999\n\n"; break;
      case 2: out += "\nWARC/1.1\r\nContent-Length: -1\r\n\r\n"; break;
      case 3: out += "\nWARC/1.1\r\nX: " + std::string(70 * 1024, 'x'); break;
      case 4: out += std::string("\x1f\x8b\x08\x00", 4) + junk(12); break;
      default: out += junk(64 + random() % 512); break;
    }
  }
  while (written < records) out += record(written++);
  return out;
}

// Reads garbage of `megabytes`, plain and gzipped: every good record among it is read, and the
// time grows linearly (a rescan after each false record would take hours, not seconds).
// PROVARC_GARBAGE_MB=100 measures a 100 MB file.
TEST(WarcDamage, GarbageIsReadInLinearTime) {
  const char* env = std::getenv("PROVARC_GARBAGE_MB");
  const size_t megabytes = env != nullptr ? std::strtoul(env, nullptr, 10) : 16;
  for (bool gzipped : {false, true}) {
    SCOPED_TRACE(gzipped ? "gzipped" : "plain");
    const int records = 20;
    const std::string bytes = garbage_with_records(megabytes << 20, gzipped, records, 7);
    const auto start = std::chrono::steady_clock::now();
    Read read = read_all(bytes, "garbage.warc");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << (gzipped ? "gzipped" : "plain") << " garbage, " << bytes.size() << " bytes: "
              << seconds << " s, " << read.captures << " captures, " << read.errors.size()
              << " errors\n";
    EXPECT_EQ(read.captures, records);
    EXPECT_LT(seconds, 60.0);  // generous: about 1 s in a release build for 16 MB
  }
}

}  // namespace
}  // namespace provarc
