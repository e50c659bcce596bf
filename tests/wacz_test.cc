// WACZ packages written by export_wacz (archive/wacz.h), checked against the WACZ 1.1.1
// specification by tests/support/wacz_check.h, read back by WarcImport, and what happens when
// an export fails or a package is damaged.
#include <gtest/gtest.h>
#include <zip.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "archive/wacz.h"
#include "archive/warc.h"
#include "common/digest.h"
#include "tests/support/archive_sql.h"
#include "tests/support/captures.h"
#include "tests/support/paths.h"
#include "tests/support/wacz_check.h"

namespace provarc {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::check_wacz;
using testing::temp_dir;
using testing::WaczContents;

const char kPage[] = "https://sotttt.backan.gov.vn/Pages/tin-a.aspx";
const char kHome[] = "https://sotttt.backan.gov.vn/";

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

Capture capture(const std::string& url, const std::string& fetched_at, int status,
                const std::string& body, const std::string& type = "text/html; charset=utf-8") {
  Capture c = testing::crawled_capture(url, fetched_at, status, body);
  c.response_headers[0].value = type;
  return c;
}

class WaczTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Archive>> opened = Archive::open(dir_ + "/archive.sqlite");
    ASSERT_TRUE(opened.ok()) << opened.error();
    archive_ = std::move(*opened);
  }

  int64_t store(const Capture& c) {
    Result<int64_t> id = archive_->store_capture(c, 0);
    EXPECT_TRUE(id.ok()) << id.error();
    return id.ok() ? *id : 0;
  }

  // An article version of capture `id` at `url`, as ingest would record it.
  void record_version(int64_t id, const std::string& url, const std::string& title,
                      const std::string& text) {
    ASSERT_TRUE(archive_->ensure_article("bac-kan", url).ok());
    ParseRecord parse;
    parse.capture_id = id;
    parse.parser_version = "test";
    parse.ok = true;
    parse.title = title;
    parse.content_hash = sha256_hex(title + text);
    parse.json = json{{"title", title}, {"text", text}}.dump();
    Result<ParseWrite> written = archive_->record_parse(parse);
    ASSERT_TRUE(written.ok()) << written.error();
  }

  // The home page, an article in two versions, its image, a 304, an identical payload under
  // another URL, a redirect and a failed fetch.
  void store_site() {
    store(capture(kHome, "2026-11-21T23:55:20.000Z", 200, "<html>Trang chủ</html>"));
    const std::string page = "<html><h1>Chuyển đổi số</h1>" + std::string(2000, 'x') + "</html>";
    record_version(store(capture(kPage, "2026-11-21T23:55:25.123Z", 200, page)), kPage,
                   "Chuyển đổi số", "Tỉnh Bắc Kạn đẩy mạnh chuyển đổi số.");
    store(capture("https://sotttt.backan.gov.vn/anh.png", "2026-11-21T23:55:26.000Z", 200,
                  std::string("\x89PNG\r\n\x1a\n\0\0\0", 11), "image/png"));
    Capture same = capture(kPage, "2026-11-28T23:55:25.000Z", 304, "");
    same.outcome = CaptureOutcome::kNotModified;
    store(same);
    store(capture(std::string(kPage) + "?print=1", "2026-11-28T23:55:26.000Z", 200, page));
    store(capture("https://sotttt.backan.gov.vn/cu.aspx", "2026-11-29T00:00:00.000Z", 301, ""));
    Capture failed = capture("https://sotttt.backan.gov.vn/cham.aspx", "2026-11-29T00:00:01.000Z",
                             0, "");
    failed.outcome = CaptureOutcome::kError;
    store(failed);
    const std::string changed = page + "<p>Cập nhật</p>";
    record_version(store(capture(kPage, "2026-12-05T01:00:00.000Z", 200, changed)), kPage,
                   "Chuyển đổi số", "Tỉnh Bắc Kạn đẩy mạnh chuyển đổi số. Cập nhật: nền tảng số.");
  }

  WaczOptions options(const std::string& name = "bac-kan.wacz") {
    WaczOptions o;
    o.path = dir_ + "/" + name;
    o.title = "Sở Thông tin và Truyền thông tỉnh Bắc Kạn";
    o.main_page_url = kHome;
    return o;
  }

  std::string dir_ = temp_dir();
  std::unique_ptr<Archive> archive_;
};

TEST_F(WaczTest, PackagePassesTheSpecificationChecks) {
  store_site();
  Result<WaczCounts> counts = export_wacz(*archive_, options());
  ASSERT_TRUE(counts.ok()) << counts.error();
  WaczContents wacz = check_wacz(dir_ + "/bac-kan.wacz");
  EXPECT_EQ(wacz.problems, std::vector<std::string>()) << joined(wacz.problems);

  EXPECT_EQ(counts->warc.responses, 5);  // home, page, image, redirect, changed page
  EXPECT_EQ(counts->warc.identical_revisits, 1);
  EXPECT_EQ(counts->warc.not_modified_revisits, 1);
  EXPECT_EQ(counts->warc.skipped, 1);
  EXPECT_EQ(wacz.index.size(), 7u) << "one line per response and revisit";
  EXPECT_EQ(counts->bytes, static_cast<int64_t>(fs::file_size(dir_ + "/bac-kan.wacz")));
  EXPECT_EQ(wacz.entries.back(), "datapackage-digest.json");

  EXPECT_EQ(wacz.datapackage["title"], "Sở Thông tin và Truyền thông tỉnh Bắc Kạn");
  EXPECT_EQ(wacz.datapackage["software"], std::string("provarc ") + PROVARC_VERSION);
  EXPECT_EQ(wacz.datapackage["mainPageUrl"], kHome);
  EXPECT_EQ(wacz.datapackage["mainPageDate"], "2026-11-21T23:55:20.000Z");
  EXPECT_EQ(wacz.pages_header["hasText"], true);
  ASSERT_EQ(wacz.pages.size(), 2u) << "each version of the article, at its capture's time";
  EXPECT_EQ(wacz.pages[0]["url"], kPage);
  EXPECT_EQ(wacz.pages[0]["ts"], "2026-11-21T23:55:25.123Z");
  EXPECT_EQ(wacz.pages[0]["title"], "Chuyển đổi số");
  EXPECT_EQ(wacz.pages[0]["text"], "Tỉnh Bắc Kạn đẩy mạnh chuyển đổi số.");
  EXPECT_EQ(wacz.pages[1]["ts"], "2026-12-05T01:00:00.000Z");
  EXPECT_NE(wacz.pages[0]["id"], wacz.pages[1]["id"]);
  EXPECT_FALSE(wacz.zip64) << "a small package needs no ZIP64 end record";

  // Nothing staged is left beside the package.
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".wacz."), std::string::npos) << entry.path();
  }
}

TEST_F(WaczTest, FilterSelectsCapturesAndPagesByTime) {
  store_site();
  WaczOptions o = options();
  o.filter.fetched = {"2026-11-28T00:00:00.000Z", "2026-11-30T00:00:00.000Z"};
  Result<WaczCounts> counts = export_wacz(*archive_, o);
  ASSERT_TRUE(counts.ok()) << counts.error();
  WaczContents wacz = check_wacz(o.path);
  EXPECT_EQ(wacz.problems, std::vector<std::string>()) << joined(wacz.problems);
  // The 304 (its page's payload is outside: a revisit with no record to refer to), the print
  // page, the redirect.
  EXPECT_EQ(wacz.index.size(), 3u);
  EXPECT_TRUE(wacz.pages.empty()) << "no version was read from a capture of those days";
  EXPECT_FALSE(wacz.datapackage.contains("mainPageUrl")) << "the home page is not in it";

  o.filter.fetched = {"2030-01-01T00:00:00.000Z", ""};
  Result<WaczCounts> none = export_wacz(*archive_, o);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("nothing to export"), std::string::npos) << none.error();
}

TEST_F(WaczTest, LargeExportsRotateWarcFilesAllIndexed) {
  store_site();
  for (int i = 0; i < 40; ++i) {
    store(capture("https://sotttt.backan.gov.vn/tin-" + std::to_string(i) + ".aspx",
                  "2026-11-22T00:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) +
                      ".000Z",
                  200, "<html>" + std::to_string(i) + std::string(500, 'a' + i % 26) + "</html>"));
  }
  WaczOptions o = options();
  o.max_warc_bytes = 2000;
  Result<WaczCounts> counts = export_wacz(*archive_, o);
  ASSERT_TRUE(counts.ok()) << counts.error();
  WaczContents wacz = check_wacz(o.path);
  EXPECT_EQ(wacz.problems, std::vector<std::string>()) << joined(wacz.problems);
  std::set<std::string> filenames;
  for (const auto& line : wacz.index) filenames.insert(line.block["filename"]);
  EXPECT_GE(filenames.size(), 5u);
  EXPECT_EQ(filenames.size(), counts->warc.files.size()) << "every WARC file is indexed";
  EXPECT_EQ(wacz.index.size(), 47u);
}

// The checks themselves: a package damaged in each way they look for is reported.
TEST_F(WaczTest, ChecksReportDamagedPackages) {
  store_site();
  ASSERT_TRUE(export_wacz(*archive_, options()).ok());
  const std::string good = dir_ + "/bac-kan.wacz";
  struct Damage {
    std::string entry, bytes, expected;
  };
  WaczContents original = check_wacz(good);
  std::string swapped = original.index[1].text + "\n" + original.index[0].text + "\n";
  for (size_t i = 2; i < original.index.size(); ++i) swapped += original.index[i].text + "\n";
  // The first line's offset one byte off: inside the file, but no record starts there.
  json block = original.index[0].block;
  block["offset"] = std::to_string(std::stoll(block["offset"].get<std::string>()) + 1);
  std::string moved = original.index[0].key + " " + original.index[0].timestamp + " " +
                      block.dump() + "\n";
  for (size_t i = 1; i < original.index.size(); ++i) moved += original.index[i].text + "\n";
  const std::vector<Damage> damages = {
      {"pages/pages.jsonl", original.files["pages/pages.jsonl"].substr(
                                original.files["pages/pages.jsonl"].find('\n') + 1),
       "header"},
      {"indexes/index.cdxj", swapped, "not sorted"},
      {"indexes/index.cdxj", moved, "not exactly one WARC record"},
      {"indexes/index.cdxj", moved, "indexes/index.cdxj: hash does not match"},
      {"datapackage-digest.json", R"({"path": "datapackage.json", "hash": "sha256:00"})",
       "datapackage-digest.json does not give"},
  };
  for (const Damage& damage : damages) {
    SCOPED_TRACE(damage.expected);
    const std::string copy = dir_ + "/damaged.wacz";
    fs::copy_file(good, copy, fs::copy_options::overwrite_existing);
    zip_t* zip = zip_open(copy.c_str(), 0, nullptr);
    ASSERT_NE(zip, nullptr);
    zip_source_t* source = zip_source_buffer(zip, damage.bytes.data(), damage.bytes.size(), 0);
    ASSERT_GE(zip_file_add(zip, damage.entry.c_str(), source, ZIP_FL_OVERWRITE), 0);
    ASSERT_EQ(zip_close(zip), 0);
    WaczContents wacz = check_wacz(copy);
    EXPECT_NE(joined(wacz.problems).find(damage.expected), std::string::npos)
        << joined(wacz.problems);
  }
  EXPECT_EQ(check_wacz(good).problems, std::vector<std::string>());
}

TEST_F(WaczTest, ImportReadsThePackagesWarcsBack) {
  store_site();
  ASSERT_TRUE(export_wacz(*archive_, options()).ok());
  Result<std::unique_ptr<Archive>> fresh = Archive::open(dir_ + "/imported.sqlite");
  ASSERT_TRUE(fresh.ok()) << fresh.error();
  WarcImport import(**fresh, [&](const Capture& c) { return (*fresh)->store_capture(c, 0); });
  ASSERT_TRUE(import.import_file(dir_ + "/bac-kan.wacz").ok());
  EXPECT_EQ(import.counts().errors, std::vector<std::string>());
  EXPECT_EQ(import.counts().captures, 7) << "every capture with a response";
  EXPECT_EQ(import.counts().unresolved_revisits, 0);
  Result<std::optional<StoredCapture>> page = (*fresh)->latest_capture(kPage, true);
  ASSERT_TRUE(page.ok() && *page);
  EXPECT_EQ((*page)->capture.fetched_at, "2026-12-05T01:00:00.000Z");
  Result<std::optional<StoredCapture>> original = archive_->latest_capture(kPage, true);
  EXPECT_EQ((*page)->capture.body, (*original)->capture.body);
}

TEST_F(WaczTest, ImportReportsAlteredWarcs) {
  store_site();
  ASSERT_TRUE(export_wacz(*archive_, options()).ok());
  WaczContents wacz = check_wacz(dir_ + "/bac-kan.wacz");
  std::string warc_entry;
  for (const std::string& e : wacz.entries) {
    if (e.rfind("archive/", 0) == 0) warc_entry = e;
  }
  // The same records with one more at the end: readable, but not the file the package lists.
  std::string altered = wacz.files[warc_entry] + wacz.files[warc_entry].substr(0, 200);
  zip_t* zip = zip_open((dir_ + "/bac-kan.wacz").c_str(), 0, nullptr);
  ASSERT_NE(zip, nullptr);
  zip_source_t* source = zip_source_buffer(zip, altered.data(), altered.size(), 0);
  ASSERT_GE(zip_file_add(zip, warc_entry.c_str(), source, ZIP_FL_OVERWRITE), 0);
  ASSERT_EQ(zip_close(zip), 0);

  Result<std::unique_ptr<Archive>> fresh = Archive::open(dir_ + "/imported.sqlite");
  ASSERT_TRUE(fresh.ok());
  WarcImport import(**fresh, [&](const Capture& c) { return (*fresh)->store_capture(c, 0); });
  ASSERT_TRUE(import.import_file(dir_ + "/bac-kan.wacz").ok());
  EXPECT_EQ(import.counts().captures, 7) << "what can be read is imported";
  bool reported = false;
  for (const std::string& e : import.counts().errors) {
    reported = reported || e.find("datapackage.json says") != std::string::npos;
  }
  EXPECT_TRUE(reported) << ::testing::PrintToString(import.counts().errors);

  // Not a ZIP file at all: reported, not fatal.
  std::ofstream(dir_ + "/junk.wacz") << "not a zip";
  ASSERT_TRUE(import.import_file(dir_ + "/junk.wacz").ok());
  EXPECT_NE(import.counts().errors.back().find("junk.wacz"), std::string::npos);
}

TEST_F(WaczTest, FailedExportLeavesNothingAtThePath) {
  store_site();
  const std::string path = dir_ + "/bac-kan.wacz";
  std::ofstream(path) << "an older package";
  // A damaged body: the export fails when it reaches it.
  testing::exec_sql(dir_ + "/archive.sqlite", "UPDATE blobs SET data = x'00112233' WHERE id = 2");
  Result<WaczCounts> counts = export_wacz(*archive_, options());
  ASSERT_FALSE(counts.ok());
  EXPECT_NE(counts.error().find("capture"), std::string::npos) << counts.error();
  EXPECT_EQ(testing::read_file(path), "an older package") << "the file there is untouched";
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".parts-"), std::string::npos) << entry.path();
    EXPECT_EQ(entry.path().string().find(".wacz."), std::string::npos) << entry.path();
  }

  WaczOptions not_wacz = options("bac-kan.zip");
  EXPECT_FALSE(export_wacz(*archive_, not_wacz).ok());
}

}  // namespace
}  // namespace provarc
