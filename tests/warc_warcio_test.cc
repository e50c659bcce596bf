// WARC files written by provarc, validated by an independent reader: warcio.js (installed by
// scripts/setup into tools/node_modules) reads every record, checks every digest and revisit, and
// indexes the files; its index must locate the same records as provarc's CDXJ. Every response is
// a message warcio reads whole: with a Content-Length, synthesized when the capture had none.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "archive/warc.h"
#include "tests/support/captures.h"
#include "tests/support/node_tools.h"
#include "tests/support/paths.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;
using testing::find_node;
using testing::missing_tools;
using testing::node_module;
using testing::read_file;
using testing::run_command;
using testing::source_dir;
using testing::temp_dir;

std::string warcio_module() { return node_module("warcio/dist/index.js"); }

Capture capture(const std::string& url, const std::string& fetched_at, int status,
                const std::string& body) {
  return testing::crawled_capture(url, fetched_at, status, body);
}

// Every kind of record provarc writes, over several rotated files.
std::vector<Capture> sample_captures() {
  const std::string page =
      "<html><body><h1>Chuyển đổi số</h1>" + std::string(3000, 'x') + "</body></html>";
  std::vector<Capture> captures;
  captures.push_back(
      capture("https://sotttt.backan.gov.vn/tin-a.aspx", "2026-11-21T23:55:25.123Z", 200, page));
  Capture chunked = capture("https://sotttt.backan.gov.vn/tin-b.aspx?id=2&cat=1",
                            "2026-11-21T23:55:26.000Z", 200, "<html>b</html>");
  chunked.response_headers = {{"Content-Type", "text/html"}, {"Transfer-Encoding", "chunked"}};
  captures.push_back(chunked);
  captures.push_back(capture("https://sotttt.backan.gov.vn/in/tin-a.aspx",
                             "2026-11-21T23:55:27.000Z", 200,
                             page));  // identical payload: a revisit
  Capture image = capture("https://sotttt.backan.gov.vn/anh.png", "2026-11-21T23:55:28.000Z", 200,
                          std::string("\x89PNG\r\n\x1a\n\0\0\0", 11));
  image.response_headers = {{"Content-Type", "image/png"}};
  image.request_headers.clear();  // no request record
  captures.push_back(image);
  Capture moved =
      capture("https://sotttt.backan.gov.vn/cu.aspx", "2026-11-21T23:55:29.000Z", 301, "");
  moved.response_headers = {{"Location", "https://sotttt.backan.gov.vn/tin-a.aspx"}};
  captures.push_back(moved);
  Capture same =
      capture("https://sotttt.backan.gov.vn/tin-a.aspx", "2026-11-28T23:55:25.000Z", 304, "");
  same.outcome = CaptureOutcome::kNotModified;
  same.response_headers = {{"ETag", "\"a1\""}};
  captures.push_back(same);
  captures.push_back(capture("https://sotttt.backan.gov.vn/khong-co.aspx",
                             "2026-11-29T00:00:00.000Z", 404, "not found"));
  // As `provarc import` stores a local file: no HTTP version, no headers, no request.
  Capture imported;
  imported.url = "https://sotttt.backan.gov.vn/nhap.aspx";
  imported.site = "bac-kan";
  imported.fetched_at = "2026-11-29T00:00:01.000Z";
  imported.status = 200;
  imported.body = "<html><body><p>Tệp nhập từ đĩa</p></body></html>";
  captures.push_back(imported);
  return captures;
}

TEST(WarcWarcio, WarcioReadsEveryRecordAndAgreesWithTheIndex) {
  PROVARC_REQUIRE_TOOLS(missing_tools({warcio_module()}));
  const std::string node = find_node();
  const std::string dir = temp_dir();
  WarcWriterOptions options;
  options.directory = dir;
  options.max_file_bytes = 2000;  // several files, a revisit in another file than its response
  Result<std::unique_ptr<WarcWriter>> writer = WarcWriter::create(options);
  ASSERT_TRUE(writer.ok()) << writer.error();
  for (const Capture& c : sample_captures()) ASSERT_TRUE((*writer)->write(c).ok());
  Result<WarcExportCounts> counts = (*writer)->finish();
  ASSERT_TRUE(counts.ok()) << counts.error();
  ASSERT_GE(counts->files.size(), 2u);

  std::vector<std::string> argv = {node, source_dir() + "/tests/support/warcio_check.mjs",
                                   warcio_module()};
  argv.insert(argv.end(), counts->files.begin(), counts->files.end());
  testing::RunResult run = run_command(argv);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(report.is_object()) << run.out << run.err;

  EXPECT_EQ(report["errors"], nlohmann::json::array()) << report["errors"].dump(2);
  const int64_t files = static_cast<int64_t>(counts->files.size());
  EXPECT_EQ(report["types"]["warcinfo"], files);
  EXPECT_EQ(report["types"]["request"], counts->requests);
  EXPECT_EQ(report["types"]["response"], counts->responses);
  EXPECT_EQ(report["types"]["revisit"], counts->identical_revisits + counts->not_modified_revisits);
  EXPECT_EQ(counts->identical_revisits, 1);
  EXPECT_EQ(counts->not_modified_revisits, 1);
  EXPECT_EQ(report["records"], files + counts->requests + counts->responses +
                                   counts->identical_revisits + counts->not_modified_revisits);

  // warcio's index and provarc's locate the same records and say the same of them.
  std::map<std::string, nlohmann::json> theirs;  // by "filename offset"
  for (const nlohmann::json& entry : report["index"]) {
    theirs[entry["filename"].get<std::string>() + " " + entry["offset"].dump()] = entry;
  }
  std::stringstream ours(read_file(counts->index));
  size_t lines = 0;
  for (std::string line; std::getline(ours, line); ++lines) {
    SCOPED_TRACE(line);
    size_t first = line.find(' '), second = line.find(' ', first + 1);
    nlohmann::json entry = nlohmann::json::parse(line.substr(second + 1));
    auto it = theirs.find(entry["filename"].get<std::string>() + " " +
                          entry["offset"].get<std::string>());
    ASSERT_NE(it, theirs.end()) << "warcio has no record at this offset";
    const nlohmann::json& warcio = it->second;
    EXPECT_EQ(line.substr(0, first), warcio["urlkey"]);
    EXPECT_EQ(line.substr(first + 1, second - first - 1), warcio["timestamp"]);
    EXPECT_EQ(entry["url"], warcio["url"]);
    EXPECT_EQ(entry["length"], warcio["length"].dump());
    EXPECT_EQ(entry["status"], warcio["status"].dump());
    EXPECT_EQ(entry.value("mime", ""), warcio.value("mime", ""));
    EXPECT_EQ(entry.value("digest", ""),
              warcio.contains("digest") ? "sha1:" + warcio["digest"].get<std::string>() : "");
  }
  EXPECT_EQ(lines, theirs.size());
}

}  // namespace
}  // namespace provarc
